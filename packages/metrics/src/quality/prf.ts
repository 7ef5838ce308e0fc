import { ArgumentError } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { checkLabelPair, mean, take } from '../validate.js';
import type { Average, ZeroDivision } from './options.js';
import { asFloat } from './ranked.js';

/** Options of the precision / recall / F-score family. */
export interface PrfOptions {
  /** How to combine labels or samples (default `macro`). */
  readonly average?: Average;
  /** β of the F-score (default 1: F1); `Infinity` gives recall. */
  readonly beta?: number;
  /** Value of a ratio whose denominator is 0 (default 0). */
  readonly zeroDivision?: ZeroDivision;
}

/** Averaged precision, recall and F-score. */
export interface PrfScores {
  /** Precision: true positives over predicted positives. */
  readonly precision: number;
  /** Recall: true positives over actual positives. */
  readonly recall: number;
  /** F-β (F1 by default). */
  readonly fscore: number;
}

/** Per-label precision, recall, F-score and support (number of positives). */
export interface PerLabelPrf {
  /** Precision of each label. */
  readonly precision: readonly number[];
  /** Recall of each label. */
  readonly recall: readonly number[];
  /** F-β of each label (F1 by default). */
  readonly fscore: readonly number[];
  /** Number of samples where each label is present. */
  readonly support: readonly number[];
}

/** Counts per row of a [N, L] pair along `axis`: true positives, predicted and true positives. */
export interface Counts {
  readonly tp: number[];
  readonly predicted: number[];
  readonly actual: number[];
}

/** @internal */
export function counts(yTrue: tf.Tensor, yPred: tf.Tensor, axis: 0 | 1): Counts {
  const [tp, predicted, actual] = tf.tidy(() => {
    const t = asFloat(yTrue);
    const p = asFloat(yPred);
    return [tf.sum(tf.mul(t, p), axis), tf.sum(p, axis), tf.sum(t, axis)];
  });
  return { tp: take(tp), predicted: take(predicted), actual: take(actual) };
}

const divide = (num: number, den: number, zeroDivision: ZeroDivision) =>
  den === 0 ? zeroDivision : num / den;

/** scikit-learn's F-β from precision and recall after the zero-division substitution. */
function fbeta(precision: number, recall: number, beta: number): number {
  if (beta === Number.POSITIVE_INFINITY) return recall;
  const b2 = beta * beta;
  const denominator = b2 * precision + recall;
  return ((1 + b2) * precision * recall) / (denominator === 0 ? 1 : denominator);
}

function ratios(c: Counts, beta: number, zeroDivision: ZeroDivision): Omit<PerLabelPrf, 'support'> {
  const precision = c.tp.map((tp, i) => divide(tp, c.predicted[i] ?? 0, zeroDivision));
  const recall = c.tp.map((tp, i) => divide(tp, c.actual[i] ?? 0, zeroDivision));
  const fscore = precision.map((p, i) => fbeta(p, recall[i] ?? 0, beta));
  return { precision, recall, fscore };
}

function checkOptions(options: PrfOptions): { beta: number; zeroDivision: ZeroDivision } {
  const beta = options.beta ?? 1;
  const zeroDivision = options.zeroDivision ?? 0;
  if (!(beta >= 0)) throw new ArgumentError('beta', `must be ≥ 0; got ${beta}`);
  if (zeroDivision !== 0 && zeroDivision !== 1) {
    throw new ArgumentError('zeroDivision', `must be 0 or 1; got ${String(zeroDivision)}`);
  }
  return { beta, zeroDivision };
}

/**
 * Precision, recall and F-β of each label, with its support, as scikit-learn's
 * `precision_recall_fscore_support(average=None)`. Counts run on the backend; the divisions run
 * in float64 on the L per-label counts.
 *
 * @param yTrue - true labels [N, L], 0/1
 * @param yPred - predicted labels [N, L], 0/1
 * @throws ShapeError, ArgumentError
 */
export function perLabelPrecisionRecallFscore(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: Omit<PrfOptions, 'average'> = {},
): PerLabelPrf {
  const { beta, zeroDivision } = checkOptions(options);
  checkLabelPair(yTrue, yPred);
  const c = counts(yTrue, yPred, 0);
  return { ...ratios(c, beta, zeroDivision), support: c.actual };
}

/**
 * Averaged precision, recall and F-β, as scikit-learn's `precision_recall_fscore_support` with
 * `average` micro, macro, weighted or samples, including its zero-division conventions:
 * precision is `zeroDivision` where nothing is predicted, recall where nothing is true, and the
 * F-score of such a label or sample is computed from those substituted values (so it is 1 only
 * when both are 1). For `weighted` with no positive label at all, every value is `zeroDivision`
 * when nothing is predicted either, else precision and F are 0 and recall `zeroDivision`.
 *
 * Differences from scikit-learn: no `UndefinedMetricWarning` is emitted, `"warn"` is spelt 0,
 * and there is no `sample_weight`, `labels` or `pos_label`.
 *
 * @param yTrue - true labels [N, L], 0/1
 * @param yPred - predicted labels [N, L], 0/1
 * @throws ShapeError, ArgumentError
 */
export function precisionRecallFscore(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: PrfOptions = {},
): PrfScores {
  const { beta, zeroDivision } = checkOptions(options);
  const average = options.average ?? 'macro';
  checkLabelPair(yTrue, yPred);
  return averageCounts(
    counts(yTrue, yPred, average === 'samples' ? 1 : 0),
    average,
    beta,
    zeroDivision,
  );
}

/**
 * Averages precision, recall and F-β from counts per label (per sample for `samples`).
 * @internal
 */
export function averageCounts(
  c: Counts,
  average: Average,
  beta: number,
  zeroDivision: ZeroDivision,
): PrfScores {
  if (average === 'micro') {
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
    const pooled = { tp: [sum(c.tp)], predicted: [sum(c.predicted)], actual: [sum(c.actual)] };
    const r = ratios(pooled, beta, zeroDivision);
    return { precision: r.precision[0] ?? 0, recall: r.recall[0] ?? 0, fscore: r.fscore[0] ?? 0 };
  }
  const r = ratios(c, beta, zeroDivision);
  if (average === 'weighted') {
    const total = c.actual.reduce((a, b) => a + b, 0);
    if (total === 0) {
      const anyPredicted = c.predicted.some((p) => p > 0);
      return anyPredicted
        ? { precision: 0, recall: zeroDivision, fscore: 0 }
        : { precision: zeroDivision, recall: zeroDivision, fscore: zeroDivision };
    }
    const weighted = (v: readonly number[]) =>
      v.reduce((a, x, i) => a + x * (c.actual[i] ?? 0), 0) / total;
    return {
      precision: weighted(r.precision),
      recall: weighted(r.recall),
      fscore: weighted(r.fscore),
    };
  }
  if (average !== 'macro' && average !== 'samples') {
    throw new ArgumentError('average', `must be micro, macro, weighted or samples; got ${average}`);
  }
  return { precision: mean(r.precision), recall: mean(r.recall), fscore: mean(r.fscore) };
}

/** Averaged precision; see {@link precisionRecallFscore}. */
export function precisionScore(yTrue: tf.Tensor, yPred: tf.Tensor, options?: PrfOptions): number {
  return precisionRecallFscore(yTrue, yPred, options).precision;
}

/** Averaged recall; see {@link precisionRecallFscore}. */
export function recallScore(yTrue: tf.Tensor, yPred: tf.Tensor, options?: PrfOptions): number {
  return precisionRecallFscore(yTrue, yPred, options).recall;
}

/** Averaged F1 (β = 1 whatever `options.beta` says); see {@link precisionRecallFscore}. */
export function f1Score(yTrue: tf.Tensor, yPred: tf.Tensor, options?: PrfOptions): number {
  return precisionRecallFscore(yTrue, yPred, { ...options, beta: 1 }).fscore;
}
