import { defineModel, runAttack } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  consistencyAwareMlCw,
  inconsistency,
  learnCooccurrence,
  rocAuc,
  rocCurve,
  thresholdForFalseAlarms,
} from '../src/index.js';

async function values(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

describe('label-consistency statistics (spec §8a)', () => {
  it('match hand-computed pairwise log-likelihoods', async () => {
    // Two labels seen as {1,1} and {0,0}; Laplace 1: P(11) = P(00) = 2/6, P(10) = P(01) = 1/6.
    const stats = learnCooccurrence([
      [1, 1],
      [0, 0],
    ]);
    const probs = tf.tensor2d([
      [1, 1],
      [1, 0],
      [0.5, 0.5],
    ]);
    const [a, b, c] = await values(inconsistency(stats, probs));
    expect(a).toBeCloseTo(Math.log(3), 5);
    expect(b).toBeCloseTo(Math.log(6), 5);
    expect(c).toBeCloseTo(0.25 * Math.log(324), 5);
    probs.dispose();
  });

  it('score label sets that break an implication as less consistent', async () => {
    // Label 1 ("animal") always accompanies label 0 ("dog"); label 2 is independent.
    const stats = learnCooccurrence([
      [1, 1, 0],
      [1, 1, 1],
      [0, 1, 0],
      [0, 0, 1],
      [1, 1, 0],
      [0, 0, 0],
    ]);
    const sets = tf.tensor2d([
      [1, 1, 0],
      [1, 0, 0],
    ]);
    const [consistent, broken] = await values(inconsistency(stats, sets));
    expect(broken).toBeGreaterThan(consistent ?? 0);
    sets.dispose();
  });

  it('rejects malformed training labels', () => {
    expect(() => learnCooccurrence([])).toThrow(/at least one row/);
    expect(() => learnCooccurrence([[1, 2]])).toThrow(/row 0, label 1/);
    expect(() => learnCooccurrence([[1, 0], [1]])).toThrow(/row 1/);
  });
});

describe('ROC', () => {
  it('computes AUC with ties counting one half, and the curve and threshold', () => {
    expect(rocAuc([0, 1], [2, 3])).toBe(1);
    expect(rocAuc([2, 3], [0, 1])).toBe(0);
    expect(rocAuc([1, 1], [1, 1])).toBe(0.5);
    expect(rocAuc([0, 2], [1, 3])).toBe(0.75);
    const curve = rocCurve([0, 2], [1, 3]);
    expect(curve.at(-1)).toEqual({ threshold: 0, falseAlarmRate: 1, detectionRate: 1 });
    const t = thresholdForFalseAlarms([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.2);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((s) => s >= t)).toEqual([8, 9]);
  });
});

describe('consistency-aware ML-CW', () => {
  it('runs on the contract without leaks', async () => {
    const w = tf.tensor2d([
      [1, 0.5, -0.2],
      [0.3, 1, 0.1],
      [-0.4, 0.2, 1],
    ]);
    const model = defineModel({
      scores: (x) => tf.matMul(x, w),
      numLabels: 3,
      inputShape: [3],
      box: { lo: -5, hi: 5 },
    });
    const stats = learnCooccurrence([
      [1, 1, 0],
      [1, 1, 1],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const x = tf.tensor2d([[1, 1, -1]]);
    const attack = consistencyAwareMlCw(stats);
    const result = await runAttack(
      attack,
      { model, inputs: x, targets: [[0, null, null]] },
      { maxIterations: 50, binarySearchSteps: 3, detectorWeight: 0.5 },
    );
    expect(result.samples[0]?.success).toBe(true);
    result.dispose();
    tf.dispose([w, x]);
  });
});
