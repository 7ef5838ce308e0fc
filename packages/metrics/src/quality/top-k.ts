import * as tf from '@tensorflow/tfjs-core';
import { checkK, checkLabelsAndScores, mean, take } from '../validate.js';
import type { ZeroDivision } from './options.js';
import { asFloat, gatherRows } from './ranked.js';

/** Precision@k and recall@k, averaged over samples. */
export interface AtK {
  /** Mean over samples of |top-k ∩ relevant| / k. */
  readonly precision: number;
  /** Mean over samples of |top-k ∩ relevant| / |relevant| (`zeroDivision` when none is relevant). */
  readonly recall: number;
}

/** Relevant labels among each sample's k top-scored labels. Call after validation. @internal */
export function hitsAtK(labels: tf.Tensor, scores: tf.Tensor, k: number): number[] {
  return take(
    tf.tidy(() => {
      const { indices } = tf.topk(scores, k, true);
      return tf.sum(gatherRows(asFloat(labels), indices), 1);
    }),
  );
}

/**
 * Precision@k and recall@k over each sample's k top-scored labels, averaged over samples
 * (scikit-learn has no multilabel equivalent). Ties at the k-th place are broken towards the
 * lower label index (`tf.topk`'s documented order, the same on every backend), so the top k is
 * always exactly k labels.
 *
 * @param labels - true labels [N, L], 0/1
 * @param scores - scores [N, L], finite
 * @param k - an integer in [1, L]
 * @param zeroDivision - recall of a sample without relevant labels (default 0)
 * @throws ShapeError, NonFiniteError, ArgumentError (also for k out of range)
 */
export function precisionRecallAtK(
  labels: tf.Tensor,
  scores: tf.Tensor,
  k: number,
  zeroDivision: ZeroDivision = 0,
): AtK {
  checkLabelsAndScores(labels, scores);
  checkK(k, scores.shape[1] ?? 0);
  const hits = hitsAtK(labels, scores, k);
  const positives = take(tf.tidy(() => tf.sum(asFloat(labels), 1)));
  return {
    precision: mean(hits.map((h) => h / k)),
    recall: mean(
      hits.map((h, i) => ((positives[i] ?? 0) > 0 ? h / (positives[i] ?? 1) : zeroDivision)),
    ),
  };
}

/** Precision@k; see {@link precisionRecallAtK}. */
export function precisionAtK(labels: tf.Tensor, scores: tf.Tensor, k: number): number {
  return precisionRecallAtK(labels, scores, k).precision;
}

/** Recall@k; see {@link precisionRecallAtK}. */
export function recallAtK(
  labels: tf.Tensor,
  scores: tf.Tensor,
  k: number,
  zeroDivision: ZeroDivision = 0,
): number {
  return precisionRecallAtK(labels, scores, k, zeroDivision).recall;
}

/**
 * One-error: the fraction of samples whose top-scored label is not relevant (scikit-learn has
 * none). Ties for the top are broken towards the lower label index (`tf.topk`, like numpy's
 * `argmax`); a sample without relevant labels always counts as an error.
 *
 * @param labels - true labels [N, L], 0/1
 * @param scores - scores [N, L], finite
 * @throws ShapeError, NonFiniteError, ArgumentError
 */
export function oneError(labels: tf.Tensor, scores: tf.Tensor): number {
  checkLabelsAndScores(labels, scores);
  return mean(hitsAtK(labels, scores, 1).map((h) => 1 - h));
}
