import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy, multiLabelMetrics, pairwiseHinge } from '../src/index.js';

describe('losses', () => {
  it('pairwise hinge matches a hand computation', () => {
    // sample 0: positives {0}, negatives {1, 2}: hinge(1 - (2 - 0.5)) = 0, hinge(1 - (2 - 1.8)) = 0.8
    // sample 1: no negative → 0
    const labels = tf.tensor2d([
      [1, 0, 0],
      [1, 1, 1],
    ]);
    const logits = tf.tensor2d([
      [2, 0.5, 1.8],
      [0, 0, 0],
    ]);
    const loss = pairwiseHinge()(labels, logits);
    expect(loss.dataSync()[0]).toBeCloseTo((0.8 / 2 + 0) / 2, 6);
    const bce = binaryCrossEntropy(labels, logits);
    const manual =
      [
        [1, 2],
        [0, 0.5],
        [0, 1.8],
        [1, 0],
        [1, 0],
        [1, 0],
      ].reduce(
        (s, [y, z]) =>
          s + Math.log1p(Math.exp(-(z as number))) + (1 - (y as number)) * (z as number),
        0,
      ) / 6;
    expect(bce.dataSync()[0]).toBeCloseTo(manual, 5);
    tf.dispose([labels, logits, loss, bce]);
  });
});

describe('multiLabelMetrics', () => {
  it('computes AP, example F1 and precision@k on a known case', () => {
    const scores = Float32Array.from([0.9, 0.2, 0.6, 0.1, 0.8, 0.3, 0.4, 0.7, 0.45]);
    const labels = Uint8Array.from([1, 0, 1, 0, 1, 0, 0, 1, 0]);
    const m = multiLabelMetrics(scores, labels, 3);
    // label 0 ranks (0.9 +, 0.4 -, 0.1 -): AP 1; label 1 (0.8 +, 0.7 +, 0.2 -): AP 1;
    // label 2 (0.6 +, 0.45 -, 0.3 -): AP 1 → mAP 1
    expect(m.mAP).toBeCloseTo(1, 9);
    // predictions: {0, 2}, {1}, {1}: all exact
    expect(m.exampleF1).toBeCloseTo(1, 9);
    expect(m.subsetAccuracy).toBe(1);
    expect(m.precisionAt[0]).toBeCloseTo(1, 9);
    expect(m.precisionAt[1]).toBeCloseTo((1 + 0.5 + 0.5) / 3, 9);
    const worse = multiLabelMetrics(Float32Array.from([0.2, 0.9]), Uint8Array.from([1, 0]), 2);
    expect(worse.exampleF1).toBe(0);
    expect(worse.hammingLoss).toBe(1);
  });
});
