import { ArgumentError, NonFiniteError, ShapeError } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  evaluateMultiLabel,
  kendallTau,
  precisionAtK,
  precisionRecallFscore,
  subsetAccuracy,
  topKHitRate,
} from '../src/index.js';

describe('bad input gives typed errors', () => {
  it('rejects shape mismatches', () => {
    const y = tf.tensor2d([[1, 0, 1]]);
    const s = tf.tensor2d([[0.1, 0.2]]);
    const flat = tf.tensor1d([1, 0]);
    expect(() => averagePrecision(y, s)).toThrow(ShapeError);
    const pred = tf.tensor2d([[1, 0]]);
    expect(() => subsetAccuracy(y, pred)).toThrow(ShapeError);
    expect(() => subsetAccuracy(flat, flat)).toThrow(ShapeError);
    expect(() => kendallTau(y, s)).toThrow(ShapeError);
    const empty = tf.zeros([0, 3]);
    expect(() => subsetAccuracy(empty, empty)).toThrow(ShapeError);
    tf.dispose([y, s, flat, empty, pred]);
  });

  it('rejects NaN and infinite scores, naming the sample and label', () => {
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const s = tf.tensor2d([
      [0.1, 0.2],
      [Number.NaN, 0.3],
    ]);
    const inf = tf.tensor2d([
      [0.1, Infinity],
      [0.2, 0.3],
    ]);
    expect(() => averagePrecision(y, s)).toThrow(NonFiniteError);
    expect(() => evaluateMultiLabel(y, inf)).toThrow(NonFiniteError);
    try {
      averagePrecision(y, s);
    } catch (error) {
      expect(NonFiniteError.isInstance(error) && error.sample).toBe(1);
    }
    tf.dispose([y, s, inf]);
  });

  it('rejects labels outside {0, 1}', () => {
    const y = tf.tensor2d([
      [1, 0],
      [-1, 1],
    ]);
    const nan = tf.tensor2d([
      [1, Number.NaN],
      [0, 1],
    ]);
    const s = tf.tensor2d([
      [0.1, 0.2],
      [0.4, 0.3],
    ]);
    expect(() => averagePrecision(y, s)).toThrow(ArgumentError);
    expect(() => averagePrecision(y, s)).toThrow(/sample 1 holds -1 at label 0/);
    expect(() => precisionRecallFscore(s, s)).toThrow(ArgumentError);
    expect(() => subsetAccuracy(nan, nan)).toThrow(ArgumentError);
    tf.dispose([y, nan, s]);
  });

  it('rejects bad options', () => {
    const y = tf.tensor2d([[1, 0]]);
    const s = tf.tensor2d([[0.1, 0.2]]);
    expect(() => precisionAtK(y, s, 3)).toThrow(ArgumentError);
    expect(() => precisionAtK(y, s, 0)).toThrow(ArgumentError);
    expect(() => precisionRecallFscore(y, y, { beta: -1 })).toThrow(ArgumentError);
    expect(() => topKHitRate(s, [[2]])).toThrow(ArgumentError);
    expect(() => topKHitRate(s, [])).toThrow(ArgumentError);
    tf.dispose([y, s]);
  });
});
