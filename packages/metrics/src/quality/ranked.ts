import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-row sufficient statistics of a ranking, computed by sorting each row once on the backend.
 * Rows are the lists being ranked: labels of one sample (LRAP, ranking loss) or samples of one
 * label (average precision, after a transpose).
 * @internal
 */
export interface RankedStats {
  /** Σ over positives j of |{k positive: s_k ≥ s_j}| / |{k: s_k ≥ s_j}|, per row [B]. */
  readonly precisionSum: tf.Tensor1D;
  /** Number of positives per row [B]. */
  readonly positives: tf.Tensor1D;
  /**
   * Σ over negatives l of |{k positive: s_k ≤ s_l}| (mis-ordered pairs, ties counted as
   * mis-ordered), per row [B]; only when asked for.
   */
  readonly misordered: tf.Tensor1D | undefined;
}

/**
 * Sorts every row of `scores` [B, M] once (`tf.topk`, descending) and counts, with binary searches
 * on the sorted row (`tf.upperBound`), how many entries and how many positives score at least as
 * high as each entry: ties are grouped exactly as scikit-learn's thresholds and `rankdata(…, 'max')`
 * group them. Also counts mis-ordered (positive, negative) pairs for the ranking loss. `labels` is float32 0/1 of the same shape. Call inside `tf.tidy`.
 * @internal
 */
export function rankedStats(
  scores: tf.Tensor2D,
  labels: tf.Tensor2D,
  withMisordered = false,
): RankedStats {
  const [rows = 0, m = 0] = scores.shape;
  const { values, indices } = tf.topk(scores, m, true);
  const ascending = tf.neg(values); // ascending: −s_(1) ≤ −s_(2) ≤ …
  const negScores = tf.neg(scores);
  // count of entries with s_k ≥ s_j: −s_k ≤ −s_j.
  const atLeast = tf.upperBound(ascending, negScores);
  const sortedLabels = gatherRows(labels, indices);
  // cum[:, p] = positives among the p top-scored entries (cum[:, 0] = 0).
  const cum = tf.concat([tf.zeros([rows, 1]), tf.cumsum(sortedLabels, 1)], 1);
  const positivesAtLeast = gatherRows(cum, atLeast);
  const precision = tf.div(positivesAtLeast, tf.cast(atLeast, 'float32'));
  const precisionSum = tf.sum(tf.mul(labels, precision), 1) as tf.Tensor1D;
  const positives = tf.sum(labels, 1) as tf.Tensor1D;
  if (!withMisordered) return { precisionSum, positives, misordered: undefined };
  // positives scored strictly higher than each entry: −s_k < −s_j.
  const positivesAbove = gatherRows(cum, tf.lowerBound(ascending, negScores));
  const positivesNotAbove = tf.sub(tf.expandDims(positives, 1), positivesAbove);
  const misordered = tf.sum(tf.mul(tf.sub(1, labels), positivesNotAbove), 1) as tf.Tensor1D;
  return { precisionSum, positives, misordered };
}

/** Labels as float32 (bool and int32 accepted). @internal */
export function asFloat(labels: tf.Tensor): tf.Tensor2D {
  return (labels.dtype === 'float32' ? labels : tf.cast(labels, 'float32')) as tf.Tensor2D;
}

/**
 * `out[b, i] = x[b, indices[b, i]]` for x [B, M] and int32 indices [B, K], as a flat gather with
 * row offsets: `tf.gather(x, indices, 1, 1)` (batchDims = 1) returns wrong rows on one of the
 * tfjs 4.22 backends. Call inside `tf.tidy`.
 * @internal
 */
export function gatherRows(x: tf.Tensor, indices: tf.Tensor): tf.Tensor2D {
  const [rows = 0, m = 0] = x.shape;
  const k = indices.shape[1] ?? 0;
  const offsets = tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(m, 'int32'));
  const flat = tf.reshape(tf.add(indices, tf.expandDims(offsets, 1)), [-1]);
  return tf.reshape(tf.gather(tf.reshape(x, [-1]), flat), [rows, k]);
}
