import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { countLeakedTensors, TensorScope, withScope } from '../src/index.js';

describe('leak-safe helpers', () => {
  it('disposes what a scope tracked across awaits and keeps what was released', async () => {
    const before = tf.memory().numTensors;
    const kept = await withScope(async (scope) => {
      let x = scope.track(tf.ones([3]));
      for (let i = 0; i < 5; i++) {
        await Promise.resolve(); // an async loop, where tf.tidy cannot reach
        x = scope.replace(
          x,
          scope.run(() => tf.mul(x, 2)),
        );
      }
      scope.track({ extra: [tf.zeros([2]), tf.zeros([1])] });
      return scope.release(x);
    });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(Array.from(await kept.data())).toEqual([32, 32, 32]);
    kept.dispose();
  });

  it('disposes tracked tensors when the body throws', async () => {
    const before = tf.memory().numTensors;
    await expect(
      withScope(async (scope) => {
        scope.track(tf.ones([4]));
        throw new Error('aborted');
      }),
    ).rejects.toThrow('aborted');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lets replace keep the same tensor and dispose twice safely', () => {
    const scope = new TensorScope();
    const x = scope.track(tf.ones([1]));
    expect(scope.replace(x, x)).toBe(x);
    expect(x.isDisposed).toBe(false);
    scope.dispose();
    scope.dispose();
    expect(x.isDisposed).toBe(true);
  });

  it('counts tensors a function leaks beyond its result', async () => {
    let leaked: tf.Tensor | undefined;
    const count = await countLeakedTensors(() => {
      leaked = tf.ones([2]);
      return tf.zeros([2]);
    });
    expect(count).toBe(1);
    leaked?.dispose();
    expect(await countLeakedTensors(() => tf.tidy(() => tf.add(tf.ones([2]), 1)))).toBe(0);
  });
});
