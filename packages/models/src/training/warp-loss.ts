import * as tf from '@tensorflow/tfjs-core';
import type { LossFunction } from './losses.js';
import { pairGrid } from './pair-grid.js';

/**
 * Harmonic numbers H_r = Σ_{i=1}^{r} 1/i of integer-valued ranks r ∈ [0, maxRank], elementwise:
 * Σ_i [i ≤ r] / i over a broadcast axis, so no gather or per-element JS is needed. `tf.step`
 * has a zero gradient, so the result is a constant for `tf.grad`.
 */
function harmonic(ranks: tf.Tensor2D, maxRank: number): tf.Tensor2D {
  const [n, L] = ranks.shape;
  const i = tf.range(1, maxRank + 1);
  // r − i + 0.5 > 0 ⇔ i ≤ r for integers; the 0.5 keeps float sums of 0/1 away from the edge.
  const reached = tf.step(tf.sub(tf.add(tf.reshape(ranks, [n, L, 1]), 0.5), i));
  return tf.sum(tf.div(reached, i), 2) as tf.Tensor2D;
}

/**
 * WARP, the weighted approximate-rank pairwise loss (Weston et al., "WSABIE: Scaling Up to Large
 * Vocabulary Image Annotation", IJCAI 2011), in its exact, deterministic form: instead of
 * sampling absent labels until one violates the margin, it counts them all. For each present
 * label p of a sample, r_p = #{absent n : 1 + s_n > s_p} and the sample's loss is
 * Σ_p H(r_p) · mean_{n violating}(1 + s_n − s_p) with H(r) = Σ_{i=1}^{r} 1/i, so a positive ranked
 * below many negatives weighs more than one just below a single negative; averaged over samples.
 * The weight H(r_p) and the set of violating pairs are constants for the gradient (as with the
 * sampled estimate); samples with no present or no absent label contribute 0.
 */
export const warp: LossFunction = (labels, logits) =>
  tf.tidy(() => {
    const L = labels.shape[1];
    const { pairs, negMinusPos } = pairGrid(labels, logits);
    const violation = tf.add(negMinusPos, 1);
    // step(0) = 0: a pair exactly on the margin does not violate it (strict 1 + s_n > s_p).
    const active = tf.mul(tf.step(violation), pairs);
    const ranks = tf.sum(active, 2) as tf.Tensor2D;
    const meanViolation = tf.div(tf.sum(tf.mul(active, violation), 2), tf.maximum(ranks, 1));
    const perSample = tf.sum(tf.mul(harmonic(ranks, L), meanViolation), 1);
    return tf.mean(perSample) as tf.Scalar;
  });
