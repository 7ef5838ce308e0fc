import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng, recordVjp } from '../src/index.js';
import { read } from './helpers.js';

/** conv3×3(3) – relu – maxpool2 – dense(4) – sigmoid on [N, 6, 6, 2]: kinks, pooling, weights. */
function smallNet(rng: Rng) {
  const filter = rng.normalTensor([3, 3, 2, 3], 0, 0.5) as tf.Tensor4D;
  const dense = rng.normalTensor([3 * 3 * 3, 4], 0, 0.3) as tf.Tensor2D;
  const f = (x: tf.Tensor) =>
    tf.tidy(() => {
      const h = tf.maxPool(tf.relu(tf.conv2d(x as tf.Tensor4D, filter, 1, 'same')), 2, 2, 'valid');
      return tf.sigmoid(tf.matMul(tf.reshape(h, [x.shape[0] ?? 0, -1]), dense));
    });
  return { f, dispose: () => tf.dispose([filter, dense]) };
}

describe('recordVjp', () => {
  it('gives tf.grad’s vector–Jacobian products, bit for bit, for many cotangents', async () => {
    const rng = Rng.seeded(1);
    const { f, dispose } = smallNet(rng);
    const x = rng.uniformTensor([2, 6, 6, 2], -1, 1);
    const recorded = recordVjp(f, x);
    expect(recorded).toBeDefined();
    if (recorded === undefined) return;
    const direct = await read(tf.tidy(() => f(x)));
    expect(Array.from(await recorded.value.data())).toEqual(direct);
    for (let k = 0; k < 3; k++) {
      const cotangent = rng.normalTensor([2, 4]);
      const ours = await read(recorded.vjp(cotangent));
      const reference = await read(tf.tidy(() => tf.grad(f)(x, cotangent)));
      expect(ours).toEqual(reference);
      expect(ours.some((v) => v !== 0)).toBe(true);
      cotangent.dispose();
    }
    recorded.dispose();
    tf.dispose([recorded.value, x]);
    dispose();
  });

  it('is unavailable inside another gradient, and frees its tape when f throws', () => {
    const x = tf.ones([2, 3]);
    let nested: unknown = 'not called';
    const g = tf.grad((t: tf.Tensor) => {
      nested = recordVjp((u) => tf.mul(u, 2), t);
      return tf.sum(tf.square(t));
    })(x);
    expect(nested).toBeUndefined();
    const failing = (t: tf.Tensor) => {
      tf.relu(t); // taped, with a saved input, before the failure
      throw new Error('model failed');
    };
    const before = tf.memory().numTensors;
    expect(() => recordVjp(failing, x)).toThrow('model failed');
    expect(tf.memory().numTensors).toBe(before);
    // The engine is left able to differentiate again.
    const again = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, 3)))(x);
    expect(again.shape).toEqual([2, 3]);
    tf.dispose([g, again, x]);
  });
});
