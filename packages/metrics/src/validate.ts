import { ArgumentError, assertFinite, assertShape, ShapeError, unravelIndex } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Checks a score matrix: rank 2 `[N, L]` and finite. Throws a `ShapeError` or a
 * `NonFiniteError` naming the first offending sample and label.
 */
export function checkScores(scores: tf.Tensor, argument = 'scores'): void {
  assertShape(scores, [null, null], argument);
  assertNonEmpty(scores, argument);
  assertFinite(scores, argument);
}

/**
 * Checks a label matrix: rank 2 `[N, L]` with every entry 0 or 1 (any dtype; `bool` is fine).
 * Throws a `ShapeError`, or an `ArgumentError` naming the first sample and label that holds
 * another value (NaN included). The check runs on the backend; values are only downloaded when
 * something is wrong.
 */
export function checkLabels(labels: tf.Tensor, argument = 'labels'): void {
  assertShape(labels, [null, null], argument);
  assertNonEmpty(labels, argument);
  if (labels.dtype === 'bool' || labels.size === 0) return;
  const bad = tf.tidy(() => tf.logicalAnd(tf.notEqual(labels, 0), tf.notEqual(labels, 1)));
  try {
    if (!tf.tidy(() => tf.any(bad).dataSync()[0])) return;
    const flags = bad.dataSync();
    const flat = flags.indexOf(1);
    let count = 0;
    for (const f of flags) count += f;
    const [sample = 0, label = 0] = unravelIndex(flat, labels.shape);
    const value = labels.dataSync()[flat];
    throw new ArgumentError(
      argument,
      `labels must be 0 or 1; sample ${sample} holds ${value} at label ${label}` +
        (count > 1 ? ` (${count} invalid values in all)` : ''),
    );
  } finally {
    bad.dispose();
  }
}

/** Throws a `ShapeError` for a matrix without samples or without labels (scikit-learn rejects both). */
function assertNonEmpty(x: tf.Tensor, argument: string): void {
  if (x.size === 0) {
    throw new ShapeError(
      argument,
      x.shape,
      [null, null],
      'needs at least one sample and one label',
    );
  }
}

/** Throws a `ShapeError` unless `b` has exactly the shape of `a`. */
export function checkSameShape(a: tf.Tensor, b: tf.Tensor, argument: string): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => b.shape[i] !== d)) {
    throw new ShapeError(argument, b.shape, a.shape, `expected shape [${a.shape.join(', ')}]`);
  }
}

/** Checks a (labels, scores) pair: both `[N, L]`, labels 0/1, scores finite. */
export function checkLabelsAndScores(labels: tf.Tensor, scores: tf.Tensor): void {
  checkLabels(labels, 'labels');
  checkScores(scores, 'scores');
  checkSameShape(labels, scores, 'scores');
}

/** Checks a (true labels, predicted labels) pair: both `[N, L]` and 0/1. */
export function checkLabelPair(yTrue: tf.Tensor, yPred: tf.Tensor): void {
  checkLabels(yTrue, 'yTrue');
  checkLabels(yPred, 'yPred');
  checkSameShape(yTrue, yPred, 'yPred');
}

/** Throws an `ArgumentError` unless `k` is an integer in [1, max]. */
export function checkK(k: number, max: number, argument = 'k'): void {
  if (!Number.isInteger(k) || k < 1 || k > max) {
    throw new ArgumentError(argument, `must be an integer in [1, ${max}]; got ${k}`);
  }
}

/** Downloads a small tensor as float64 numbers and disposes it. */
export function take(t: tf.Tensor): number[] {
  try {
    return Array.from(t.dataSync());
  } finally {
    t.dispose();
  }
}

/** Mean in float64 (0 for an empty list). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}
