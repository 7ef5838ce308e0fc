import * as tf from '@tensorflow/tfjs-core';
import { maxOver } from './ranking-terms.js';

/**
 * TkML-AP targeted loss (spec §9): Σ_{j∈T} max(0, s_c − s_j + κ) with s_c the best score outside T.
 * The spec writes s_[k+1], the (k+1)-th largest score; the two are equal whenever T is the top k,
 * and the max over the complement has a gradient on every backend (tfjs has none for TopK).
 */
export function topKTargetedLoss(
  scores: tf.Tensor2D,
  positive: tf.Tensor2D,
  kappa: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const competitor = tf.expandDims(maxOver(scores, tf.sub(1, positive) as tf.Tensor2D), 1);
    return tf.sum(
      tf.mul(tf.relu(tf.add(tf.sub(competitor, scores), kappa)), positive),
      1,
    ) as tf.Tensor1D;
  });
}

/**
 * The i-th largest scores among the labels in `mask`, i = 1..k, as [N, k]: k rounds of "take the
 * maximum, then mask its label out". Built from max, argMax and oneHot, which all have gradients
 * in tfjs (TopK has none), so gradients flow to exactly the chosen labels.
 */
export function largestOver(scores: tf.Tensor2D, mask: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const labels = scores.shape[1];
    let remaining: tf.Tensor2D = mask;
    const columns: tf.Tensor[] = [];
    for (let i = 0; i < k; i++) {
      const masked = tf.add(scores, tf.mul(tf.sub(remaining, 1), 1e9));
      columns.push(tf.max(masked, 1));
      const taken = tf.oneHot(tf.argMax(masked, 1), labels);
      remaining = tf.mul(remaining, tf.sub(1, taken)) as tf.Tensor2D;
    }
    return tf.stack(columns, 1) as tf.Tensor2D;
  });
}

/**
 * TkML-AP untargeted loss (spec §9): the labels of Y must all leave the top k. Averaged over the k
 * best competitors c_i outside Y: (1/k) Σ_i max(0, max_{j∈Y} s_j − c_i + κ).
 */
export function topKUntargetedLoss(
  scores: tf.Tensor2D,
  truth: tf.Tensor2D,
  k: number,
  kappa: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const competitors = largestOver(scores, tf.sub(1, truth) as tf.Tensor2D, k);
    const best = tf.expandDims(maxOver(scores, truth), 1);
    return tf.mean(tf.relu(tf.add(tf.sub(best, competitors), kappa)), 1) as tf.Tensor1D;
  });
}

/** Untargeted top-k success (bool [N]): at least k labels outside Y score strictly above every label of Y. */
export function topKUntargetedSuccess(
  scores: tf.Tensor2D,
  truth: tf.Tensor2D,
  k: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const competitors = largestOver(scores, tf.sub(1, truth) as tf.Tensor2D, k);
    const kth = tf.min(competitors, 1);
    return tf.greater(kth, maxOver(scores, truth)) as tf.Tensor1D;
  });
}

/** Margin of the untargeted goal, c_k − max_Y s (higher is better): the failure quality. */
export function topKUntargetedMargin(
  scores: tf.Tensor2D,
  truth: tf.Tensor2D,
  k: number,
): tf.Tensor1D {
  return tf.tidy(
    () =>
      tf.sub(
        tf.min(largestOver(scores, tf.sub(1, truth) as tf.Tensor2D, k), 1),
        maxOver(scores, truth),
      ) as tf.Tensor1D,
  );
}
