import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  type AttackSample,
  attackMetrics,
  bootstrapInterval,
  collateralLabels,
  describe as describeValues,
  hammingToTarget,
  kendallTau,
  medianInterval,
  percentile,
  rateInterval,
  reportRecord,
  targetRanks,
  topKHitRate,
} from '../src/index.js';

const sample = (over: Partial<AttackSample>): AttackSample => ({
  success: true,
  l2: 1,
  linf: 0.1,
  relativeL2: 0.01,
  rmsd: 2,
  iterations: 10,
  gradientEvaluations: 20,
  start: [1, 0, 0, 1],
  target: [0, 1, null, 1],
  predicted: [0, 1, 0, 1],
  ...over,
});

// Three samples: a clean success, a failure with collateral damage, a success with collateral.
const samples: AttackSample[] = [
  sample({}),
  sample({
    success: false,
    l2: 5,
    iterations: 30,
    gradientEvaluations: 60,
    predicted: [1, 1, 1, 0],
  }),
  sample({ l2: 3, predicted: [0, 1, 1, 1], gradientEvaluations: 40 }),
];

describe('attack metrics', () => {
  it('counts flips, Hamming distance and collateral damage per sample', () => {
    expect(hammingToTarget(samples[1] as AttackSample)).toBe(2); // label 0 and label 3 off target
    expect(collateralLabels(samples[1] as AttackSample)).toEqual([2, 3]); // null and kept labels
    expect(collateralLabels(samples[0] as AttackSample)).toEqual([]);
  });

  it('summarises a run', () => {
    const m = attackMetrics(samples, { seconds: 6 });
    expect(m.successRate).toBeCloseTo(2 / 3, 12);
    expect(m.flipRate).toEqual([2 / 3, 1, 2 / 3, 1 / 3]);
    expect(m.requestedFlipRate).toEqual([2 / 3, 1, null, null]);
    expect(m.hammingToTarget.mean).toBeCloseTo(2 / 3, 12);
    expect(m.l2.median).toBe(2); // successes only: 1 and 3
    expect(attackMetrics(samples, { normsOver: 'all' }).l2.median).toBe(3);
    expect(m.collateral.meanLabels).toBe(1);
    expect(m.collateral.sampleRate).toBeCloseTo(2 / 3, 12);
    expect(m.collateral.labelRate).toBe(3 / 6);
    expect(m.totalGradientEvaluations).toBe(120);
    expect(m.secondsPerSample).toBe(2);
    expect(Number.isNaN(attackMetrics([]).successRate)).toBe(true);
  });

  it('uses numpy percentiles', () => {
    // numpy.percentile([1, 2, 3, 4], [5, 25, 50, 75, 95]) = 1.15, 1.75, 2.5, 3.25, 3.85
    const d = describeValues([4, 1, 3, 2]);
    expect([d.p5, d.p25, d.median, d.p75, d.p95].map((v) => Number(v.toFixed(10)))).toEqual([
      1.15, 1.75, 2.5, 3.25, 3.85,
    ]);
    expect(d.std).toBeCloseTo(1.2909944487, 9); // numpy.std(ddof=1)
    expect(percentile([7], 90)).toBe(7);
  });
});

describe('ranking attack metrics', () => {
  it('ranks targets pessimistically on ties and computes top-k hits', () => {
    const s = tf.tensor2d([
      [0.9, 0.5, 0.5, 0.1],
      [0.1, 0.2, 0.3, 0.4],
    ]);
    expect(targetRanks(s, [[1], [3, 2]])).toEqual([[3], [1, 2]]);
    expect(topKHitRate(s, [[1], [3, 2]])).toBe(0.5);
    expect(topKHitRate(s, [[1], [3, 2]], 3)).toBe(1);
    tf.dispose(s);
  });

  it('computes Kendall tau-b (hand-derived: scipy gives the same)', () => {
    // x = [1, 2, 3, 4], y = [1, 3, 2, 2]: C = 3, D = 2, y-ties = 1 → (3 − 2) / √(6 · 5)
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [1, 1, 1, 1],
    ]);
    const y = tf.tensor2d([
      [1, 3, 2, 2],
      [4, 3, 2, 1],
    ]);
    const tau = kendallTau(x, y);
    expect(tau[0]).toBeCloseTo(1 / Math.sqrt(30), 12);
    expect(tau[1]).toBeNaN();
    tf.dispose([x, y]);
  });
});

describe('aggregation', () => {
  it('gives seeded, reproducible bootstrap intervals', () => {
    const values = [0, 1, 1, 0, 1, 1, 1, 0, 1, 1];
    const a = rateInterval(values, { seed: 7, resamples: 500 });
    const b = rateInterval(values, { seed: 7, resamples: 500 });
    expect(a).toEqual(b);
    expect(a.estimate).toBe(0.7);
    expect(a.low).toBeLessThanOrEqual(0.7);
    expect(a.high).toBeGreaterThanOrEqual(0.7);
    expect(a.high).toBeLessThanOrEqual(1);
    const m = medianInterval([5, 1, 4, 2, 3], { seed: 1 });
    expect(m.estimate).toBe(3);
    expect(m.low).toBeGreaterThanOrEqual(1);
    expect(m.high).toBeLessThanOrEqual(5);
    expect(Number.isNaN(bootstrapInterval([], (v) => v.length, { seed: 1 }).estimate)).toBe(true);
    const constant = rateInterval([1, 1, 1], { seed: 3 });
    expect([constant.low, constant.high]).toEqual([1, 1]);
  });

  it('builds a tidy record per (dataset, model, attack, strategy)', () => {
    const run = {
      dataset: 'voc2012',
      model: 'resnet',
      attack: 'mlCw',
      strategy: 'random',
      samples,
      seconds: 3,
    };
    const r = reportRecord(run, { seed: 42, resamples: 200 });
    expect(r).toMatchObject({
      dataset: 'voc2012',
      model: 'resnet',
      attack: 'mlCw',
      strategy: 'random',
      samples: 3,
      successes: 2,
      medianL2: 2,
      medianGradientEvaluations: 40,
      secondsPerSample: 1,
      resamples: 200,
    });
    expect(r.successRateLow).toBeLessThanOrEqual(r.successRate);
    expect(r.successRateHigh).toBeGreaterThanOrEqual(r.successRate);
    expect(reportRecord(run, { seed: 42, resamples: 200 })).toEqual(r);
    for (const value of Object.values(r)) expect(typeof value).not.toBe('object');
  });
});
