import * as tf from '@tensorflow/tfjs-core';
import { checkLabelsAndScores, mean, take } from '../validate.js';
import { asFloat, rankedStats } from './ranked.js';

/**
 * Per-sample label-ranking statistics from one sort of every row. Call after validation.
 * @internal
 */
export function labelRankingRows(
  labels: tf.Tensor,
  scores: tf.Tensor,
): { lrap: number[]; loss: number[] } {
  const [sum, positives, misordered] = tf.tidy(() => {
    const s = rankedStats(scores as tf.Tensor2D, asFloat(labels), true);
    return [s.precisionSum, s.positives, s.misordered ?? tf.zeros([0])];
  });
  const l = scores.shape[1] ?? 0;
  const p = take(positives);
  const sums = take(sum);
  const bad = take(misordered);
  // A sample whose labels are all relevant or all irrelevant ranks perfectly (scikit-learn).
  const trivial = (i: number) => p[i] === 0 || p[i] === l;
  const lrap = sums.map((v, i) => (trivial(i) ? 1 : v / (p[i] ?? 1)));
  const loss = bad.map((v, i) => (trivial(i) ? 0 : v / ((p[i] ?? 0) * (l - (p[i] ?? 0)))));
  return { lrap, loss };
}

/**
 * Label ranking average precision, as scikit-learn's `label_ranking_average_precision_score`:
 * for each sample, the mean over its relevant labels j of |{relevant k: s_k ≥ s_j}| /
 * |{k: s_k ≥ s_j}| (ties count against the ranking), averaged over samples. A sample with no
 * relevant label, or with every label relevant, scores 1.
 *
 * @param labels - true labels [N, L], 0/1
 * @param scores - scores [N, L], finite
 * @throws ShapeError, NonFiniteError, ArgumentError
 */
export function labelRankingAveragePrecision(labels: tf.Tensor, scores: tf.Tensor): number {
  checkLabelsAndScores(labels, scores);
  return mean(labelRankingRows(labels, scores).lrap);
}

/**
 * Ranking loss, as scikit-learn's `label_ranking_loss`: for each sample, the fraction of
 * (relevant, irrelevant) label pairs with the relevant label scored lower or equal (ties count
 * as mis-ordered), averaged over samples; a sample with no relevant or no irrelevant label
 * counts as 0.
 *
 * @param labels - true labels [N, L], 0/1
 * @param scores - scores [N, L], finite
 * @throws ShapeError, NonFiniteError, ArgumentError
 */
export function rankingLoss(labels: tf.Tensor, scores: tf.Tensor): number {
  checkLabelsAndScores(labels, scores);
  return mean(labelRankingRows(labels, scores).loss);
}

/** Per-sample coverage (0 for a sample without relevant labels). Call after validation. @internal */
export function coverageRows(labels: tf.Tensor, scores: tf.Tensor): number[] {
  return take(
    tf.tidy(() => {
      const y = asFloat(labels);
      const lowestRelevant = tf.min(
        tf.where(tf.cast(y, 'bool'), scores, tf.fill(scores.shape, Infinity)),
        1,
        true,
      );
      const covered = tf.sum(tf.cast(tf.greaterEqual(scores, lowestRelevant), 'int32'), 1);
      return tf.where(tf.greater(tf.sum(y, 1), 0), covered, tf.zerosLike(covered));
    }),
  );
}

/**
 * Coverage error, as scikit-learn's `coverage_error`: for each sample, how many labels have a
 * score at least as high as its lowest-scored relevant label (ties included), averaged over
 * samples. A sample with no relevant label counts as 0 (and still counts in the mean). The best
 * value is the mean number of relevant labels.
 *
 * @param labels - true labels [N, L], 0/1
 * @param scores - scores [N, L], finite
 * @throws ShapeError, NonFiniteError, ArgumentError
 */
export function coverageError(labels: tf.Tensor, scores: tf.Tensor): number {
  checkLabelsAndScores(labels, scores);
  return mean(coverageRows(labels, scores));
}
