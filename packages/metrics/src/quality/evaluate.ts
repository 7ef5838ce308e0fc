import { ArgumentError } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import {
  checkK,
  checkLabels,
  checkLabelsAndScores,
  checkSameShape,
  mean,
  take,
} from '../validate.js';
import { averagePrecisionPerLabelUnchecked } from './average-precision.js';
import { AVERAGES, type Average, type ZeroDivision } from './options.js';
import { averageCounts, counts, type PrfScores } from './prf.js';
import { asFloat, gatherRows } from './ranked.js';
import { coverageRows, labelRankingRows } from './ranking.js';
import { hammingLossUnchecked, subsetAccuracyUnchecked } from './subset.js';

/** Options of {@link evaluateMultiLabel}. */
export interface EvaluateOptions {
  /**
   * Predicted labels [N, L] (0/1) for the set-based metrics. Default: `scores ≥ threshold`.
   */
  readonly predicted?: tf.Tensor;
  /** Decision threshold on `scores` when `predicted` is not given (default 0.5). */
  readonly threshold?: number;
  /** The k of precision@k and recall@k (default [1, 3, 5], capped at L). */
  readonly k?: readonly number[];
  /** Zero-division value of precision, recall, F1 and recall@k (default 0). */
  readonly zeroDivision?: ZeroDivision;
}

/** Every multi-label quality metric of one (labels, scores) pair. */
export interface MultiLabelReport {
  /** Samples N. */
  readonly samples: number;
  /** Labels L. */
  readonly labels: number;
  /** Fraction of samples whose predicted label set is exactly right. */
  readonly subsetAccuracy: number;
  /** Fraction of (sample, label) pairs predicted wrong. */
  readonly hammingLoss: number;
  /** Precision, recall and F1 under each {@link Average}. */
  readonly prf: Readonly<Record<Average, PrfScores>>;
  /** Average precision of each label. */
  readonly averagePrecision: readonly number[];
  /** Mean of {@link MultiLabelReport.averagePrecision} (macro mAP). */
  readonly meanAveragePrecision: number;
  /** Mean fraction of (present, absent) label pairs ranked in the wrong order. */
  readonly rankingLoss: number;
  /** Mean depth down the score ranking needed to cover every present label. */
  readonly coverageError: number;
  /** Label ranking average precision (LRAP). */
  readonly labelRankingAveragePrecision: number;
  /** Fraction of samples whose top-scored label is absent. */
  readonly oneError: number;
  /** Precision@k per k. */
  readonly precisionAtK: Readonly<Record<number, number>>;
  /** Recall@k per k. */
  readonly recallAtK: Readonly<Record<number, number>>;
}

/**
 * Computes every multi-label quality metric of the package in one pass, sorting the score matrix
 * once per axis: subset accuracy, Hamming loss, precision / recall / F1 under every average,
 * per-label AP and mAP, ranking loss, coverage error, LRAP, one-error and precision / recall@k.
 * Each value equals the one its own function returns.
 *
 * @param labels - true labels [N, L], 0/1
 * @param scores - scores [N, L], finite
 * @throws ShapeError, NonFiniteError, ArgumentError
 */
export function evaluateMultiLabel(
  labels: tf.Tensor,
  scores: tf.Tensor,
  options: EvaluateOptions = {},
): MultiLabelReport {
  checkLabelsAndScores(labels, scores);
  const [n = 0, l = 0] = scores.shape;
  const ks = [...new Set(options.k ?? [1, 3, 5].filter((k) => k <= l))].sort((a, b) => a - b);
  for (const k of ks) checkK(k, l);
  const zeroDivision = options.zeroDivision ?? 0;
  const threshold = options.threshold ?? 0.5;
  if (options.predicted === undefined && !Number.isFinite(threshold)) {
    throw new ArgumentError('threshold', `must be finite; got ${threshold}`);
  }
  if (options.predicted !== undefined) {
    checkLabels(options.predicted, 'predicted');
    checkSameShape(labels, options.predicted, 'predicted');
  }
  const predicted =
    options.predicted ?? tf.tidy(() => tf.cast(tf.greaterEqual(scores, threshold), 'float32'));
  try {
    const perLabel = counts(labels, predicted, 0);
    const perSample = counts(labels, predicted, 1);
    const prf = Object.fromEntries(
      AVERAGES.map((average) => [
        average,
        averageCounts(average === 'samples' ? perSample : perLabel, average, 1, zeroDivision),
      ]),
    ) as Record<Average, PrfScores>;
    const ap = averagePrecisionPerLabelUnchecked(labels, scores);
    const ranking = labelRankingRows(labels, scores);
    const { hits, positives } = hitsUpTo(labels, scores, Math.max(1, ...ks));
    const precisionAtK: Record<number, number> = {};
    const recallAtK: Record<number, number> = {};
    for (const k of ks) {
      const h = hits.map((row) => row[k - 1] ?? 0);
      precisionAtK[k] = mean(h.map((v) => v / k));
      recallAtK[k] = mean(
        h.map((v, i) => ((positives[i] ?? 0) > 0 ? v / (positives[i] ?? 1) : zeroDivision)),
      );
    }
    return {
      samples: n,
      labels: l,
      subsetAccuracy: subsetAccuracyUnchecked(labels, predicted),
      hammingLoss: hammingLossUnchecked(labels, predicted),
      prf,
      averagePrecision: ap,
      meanAveragePrecision: mean(ap),
      rankingLoss: mean(ranking.loss),
      coverageError: mean(coverageRows(labels, scores)),
      labelRankingAveragePrecision: mean(ranking.lrap),
      oneError: mean(hits.map((row) => 1 - (row[0] ?? 0))),
      precisionAtK,
      recallAtK,
    };
  } finally {
    if (options.predicted === undefined) predicted.dispose();
  }
}

/** Cumulative relevant labels among the top 1…k of each sample, and positives per sample. */
function hitsUpTo(
  labels: tf.Tensor,
  scores: tf.Tensor,
  k: number,
): { hits: number[][]; positives: number[] } {
  const [cumulative, positives] = tf.tidy(() => {
    const y = asFloat(labels);
    const { indices } = tf.topk(scores, k, true);
    return [tf.cumsum(gatherRows(y, indices), 1), tf.sum(y, 1)];
  });
  const flat = take(cumulative);
  const hits = Array.from({ length: scores.shape[0] ?? 0 }, (_, i) =>
    flat.slice(i * k, (i + 1) * k),
  );
  return { hits, positives: take(positives) };
}
