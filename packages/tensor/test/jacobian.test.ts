import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  type BatchFunction,
  batchedJacobian,
  GradientsUnavailableError,
  inputGradient,
  type JacobianStrategy,
  Rng,
  ShapeError,
} from '../src/index.js';
import { expectClose, read } from './helpers.js';

/** A small smooth CNN on [N, 6, 6, 2] inputs with 5 labels: conv3×3(4) – tanh – dense(5). */
function smallCnn(rng: Rng) {
  const filter = rng.normalTensor([3, 3, 2, 4], 0, 0.5) as tf.Tensor4D;
  const dense = rng.normalTensor([6 * 6 * 4, 5], 0, 0.2) as tf.Tensor2D;
  const bias = rng.normalTensor([5]);
  const f: BatchFunction = (x) =>
    tf.tidy(() => {
      const h = tf.tanh(tf.conv2d(x as tf.Tensor4D, filter, 1, 'same'));
      return tf.add(tf.matMul(tf.reshape(h, [x.shape[0] ?? 0, -1]), dense), bias);
    });
  return { f, dispose: () => tf.dispose([filter, dense, bias]) };
}

/** Central finite differences of every label w.r.t. every input value, batched: [N, L, ...]. */
function finiteDifferenceJacobian(f: BatchFunction, x: tf.Tensor, h = 1e-3): tf.Tensor {
  return tf.tidy(() => {
    const [n = 0, ...inner] = x.shape;
    const d = x.size / n;
    // Row k of `steps` moves input value k by h: [d, 1, d] broadcast over the batch.
    const steps = tf.reshape(tf.mul(tf.eye(d), h), [d, 1, d]);
    const base = tf.reshape(x, [1, n, d]);
    const plus = tf.reshape(tf.add(base, steps), [d * n, ...inner]);
    const minus = tf.reshape(tf.sub(base, steps), [d * n, ...inner]);
    const diff = tf.div(tf.sub(f(plus), f(minus)), 2 * h); // [d·n, L]
    const labels = diff.shape[1] ?? 0;
    return tf.reshape(tf.transpose(tf.reshape(diff, [d, n, labels]), [1, 2, 0]), [
      n,
      labels,
      ...inner,
    ]);
  });
}

describe('batchedJacobian', () => {
  it('equals W for every sample of a linear model, exactly', async () => {
    const rng = Rng.seeded(1);
    const w = rng.normalTensor([4, 6]) as tf.Tensor2D; // L = 4 labels, d = 6 = 2 × 3
    const b = rng.normalTensor([4]);
    const x = rng.normalTensor([3, 2, 3]);
    const f: BatchFunction = (t) =>
      tf.add(tf.matMul(tf.reshape(t, [t.shape[0] ?? 0, 6]), w, false, true), b);
    const { scores, jacobian } = batchedJacobian(f, x);
    expect(jacobian.shape).toEqual([3, 4, 2, 3]);
    const wv = Array.from(await w.data());
    expectClose(await read(jacobian), [...wv, ...wv, ...wv], 1e-6);
    const direct = tf.tidy(() => f(x));
    expectClose(await read(scores), await read(direct), 1e-6);
    tf.dispose([w, b, x]);
  });

  it('matches central finite differences on a small CNN', async () => {
    const rng = Rng.seeded(2);
    const { f, dispose } = smallCnn(rng);
    const x = rng.uniformTensor([3, 6, 6, 2]);
    const { scores, jacobian } = batchedJacobian(f, x);
    const fd = finiteDifferenceJacobian(f, x);
    expect(jacobian.shape).toEqual([3, 5, 6, 6, 2]);
    const exact = await read(jacobian);
    const approx = await read(fd);
    // Float32 central differences with h = 1e-3 carry ~1e-4 absolute error on O(1) scores.
    const maxErr = Math.max(...exact.map((v, i) => Math.abs(v - (approx[i] as number))));
    const maxAbs = Math.max(...exact.map(Math.abs));
    expect(maxErr).toBeLessThan(2e-3 * maxAbs);
    expect(maxAbs).toBeGreaterThan(0.01);
    scores.dispose();
    dispose();
    x.dispose();
  });

  it('gives the same Jacobian retained, tiled, chunked and label by label', async () => {
    const rng = Rng.seeded(3);
    const { f, dispose } = smallCnn(rng);
    const x = rng.uniformTensor([2, 6, 6, 2]);
    const runs = [
      batchedJacobian(f, x),
      batchedJacobian(f, x, { strategy: 'retained' }),
      batchedJacobian(f, x, { strategy: 'tiled' }),
      batchedJacobian(f, x, { strategy: 'tiled', labelsPerPass: 2 }),
      batchedJacobian(f, x, { maxTiledElements: 1 }),
      batchedJacobian(f, x, { strategy: 'perLabel' }),
    ];
    const [reference, ...others] = await Promise.all(runs.map((r) => read(r.jacobian)));
    for (const other of others) expectClose(other, reference as number[], 1e-5);
    tf.dispose(runs.map((r) => r.scores));
    dispose();
    x.dispose();
  });

  it('computes only the chosen labels, in their order, with every strategy', async () => {
    const rng = Rng.seeded(4);
    const { f, dispose } = smallCnn(rng);
    const x = rng.uniformTensor([3, 6, 6, 2]);
    const full = batchedJacobian(f, x, { strategy: 'perLabel' });
    const perLabel = 6 * 6 * 2;
    const all = await read(full.jacobian);
    const labels = [4, 1, 3];
    // Rows of the full Jacobian for labels 4, 1, 3 of each of the 3 samples.
    const expected = [0, 1, 2].flatMap((i) =>
      labels.flatMap((j) => all.slice((i * 5 + j) * perLabel, (i * 5 + j + 1) * perLabel)),
    );
    for (const strategy of ['auto', 'retained', 'tiled', 'perLabel'] as const) {
      const some = batchedJacobian(f, x, { strategy, labels, labelsPerPass: 2 });
      expect(some.jacobian.shape).toEqual([3, 3, 6, 6, 2]);
      expect(some.scores.shape).toEqual([3, 5]);
      expectClose(await read(some.jacobian), expected, 1e-5);
      some.scores.dispose();
    }
    const none = batchedJacobian(f, x, { labels: [] });
    expect(none.jacobian.shape).toEqual([3, 0, 6, 6, 2]);
    tf.dispose([full.scores, none.scores, none.jacobian, x]);
    dispose();
  });

  it('rejects functions that do not return [N, L] and bad options', () => {
    const x = tf.ones([2, 3]);
    expect(() => batchedJacobian((t) => tf.sum(t, 1), x)).toThrow(ShapeError);
    expect(() => batchedJacobian((t) => t, x, { labelsPerPass: 0 })).toThrow(/labelsPerPass/);
    expect(() => batchedJacobian((t) => t, x, { labels: [0, 3] })).toThrow(ArgumentError);
    expect(() => batchedJacobian((t) => t, x, { labels: [1.5] })).toThrow(/labels/);
    expect(() =>
      batchedJacobian((t) => t, x, { strategy: 'bogus' as unknown as JacobianStrategy }),
    ).toThrow(/strategy/);
    x.dispose();
  });
});

describe('inputGradient', () => {
  it('returns per-sample values and gradients of a quadratic', async () => {
    const x = tf.tensor2d([
      [1, 2],
      [-3, 0.5],
    ]);
    const { value, gradient } = inputGradient((t) => tf.sum(tf.square(t), 1), x);
    expectClose(await read(value), [5, 9.25]);
    expectClose(await read(gradient), [2, 4, -6, 1]);
    x.dispose();
  });
});

describe('without registered gradients', () => {
  it('fails early with GradientsUnavailableError naming the kernel', () => {
    const saved = tf.getGradient('Sum');
    tf.unregisterGradient('Sum');
    const x = tf.ones([1, 2]);
    try {
      expect(() => inputGradient((t) => tf.sum(t, 1), x)).toThrow(GradientsUnavailableError);
      expect(() => batchedJacobian((t) => t, x)).toThrow(/Sum.*setupBackend/s);
    } finally {
      if (saved !== undefined) tf.registerGradient(saved);
      x.dispose();
    }
    expect(tf.getGradient('Sum')).toBeDefined();
  });
});
