import {
  ArgumentError,
  BoxError,
  GradientsUnavailableError,
  NonFiniteError,
  ShapeError,
} from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mlCw,
  mlDeepFool,
  predictLabels,
  runAttack,
  TargetError,
  type TargetVector,
} from '../src/index.js';
import { type LinearCase, linearModel } from './helpers.js';

describe('runAttack: bad input is refused before any work, with typed errors', () => {
  let c: LinearCase;
  beforeAll(() => {
    c = linearModel(301, 3, 4, { lo: 0, hi: 1 });
  });
  afterAll(() => c.dispose());
  const ok = () => tf.fill([2, 4], 0.5);
  const targets: TargetVector[] = [
    [1, 0, 1],
    [0, null, 1],
  ];

  it('names the sample and field of each problem', async () => {
    const x = ok();
    const wrongShape = tf.fill([2, 5], 0.5);
    const nan = tf.tensor2d([
      [0.5, 0.5, 0.5, 0.5],
      [0.5, Number.POSITIVE_INFINITY, 0.5, 0.5],
    ]);
    const outside = tf.tensor2d([
      [0.5, 0.5, 0.5, 0.5],
      [0.5, 0.5, 0.5, 1.2],
    ]);
    const run = (inputs: tf.Tensor, t: readonly TargetVector[]) =>
      runAttack(mlDeepFool, { model: c.model, inputs, targets: t });
    await expect(run(wrongShape, targets)).rejects.toThrow(ShapeError);
    await expect(run(nan, targets)).rejects.toThrow(NonFiniteError);
    await expect(run(nan, targets)).rejects.toThrow(/sample 1/);
    await expect(run(outside, targets)).rejects.toThrow(BoxError);
    await expect(run(x, [targets[0] ?? []])).rejects.toThrow(/expected 2 targets/);
    await expect(
      run(x, [
        [1, 0],
        [0, 1, 1],
      ]),
    ).rejects.toThrow(/sample 0: expected 3 entries/);
    await expect(
      run(x, [
        [1, 0, 2 as 1],
        [0, 1, 1],
      ]),
    ).rejects.toThrow(TargetError);
    await expect(
      run(x, [
        [1, 0, 2 as 1],
        [0, 1, 1],
      ]),
    ).rejects.toThrow(/sample 0, label 2/);
    await expect(
      run(x, [
        [null, null, null],
        [0, 1, 1],
      ]),
    ).rejects.toThrow(/cares for no label/);
    await expect(
      runAttack(mlCw, { model: c.model, inputs: x, targets }, { learningRate: -1 }),
    ).rejects.toThrow(ArgumentError);
    tf.dispose([x, wrongShape, nan, outside]);
  });

  it('fails before running, without gradients, with a message that says what to call', async () => {
    const saved = tf.getGradient('Sum');
    tf.unregisterGradient('Sum');
    const x = ok();
    try {
      await expect(runAttack(mlCw, { model: c.model, inputs: x, targets })).rejects.toThrow(
        GradientsUnavailableError,
      );
    } finally {
      if (saved !== undefined) tf.registerGradient(saved);
      x.dispose();
    }
  });

  it('starts from the clean prediction and reports it with the final labels', async () => {
    const x = ok();
    const start = await predictLabels(c.model, x);
    const result = await runAttack(mlDeepFool, { model: c.model, inputs: x, targets });
    result.samples.forEach((s, i) => {
      expect(s.start).toEqual(start[i]);
      expect(s.target).toEqual(targets[i]);
      expect(s.predicted).toHaveLength(3);
      expect(s.wrongLabels.length === 0).toBe(s.success);
    });
    expect(result.successRate).toBe(result.samples.filter((s) => s.success).length / 2);
    result.dispose();
    x.dispose();
  });
});
