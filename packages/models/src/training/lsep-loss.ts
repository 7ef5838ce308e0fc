import * as tf from '@tensorflow/tfjs-core';
import type { LossFunction } from './losses.js';
import { pairGrid } from './pair-grid.js';

/** Stands in for log(0) on non-pairs: exp of it underflows to exactly 0 in float32. */
const NOT_A_PAIR = -1e9;

/**
 * LSEP, the log-sum-exp pairwise ranking loss (Li et al., "Improving Pairwise Ranking for
 * Multi-label Image Classification", CVPR 2017): per sample log(1 + Σ_{p present, n absent}
 * exp(s_n − s_p)) on the logits s, averaged over samples; a sample with no present or no absent
 * label contributes 0. It is a smooth surrogate of the pairwise hinge whose gradient concentrates
 * on the worst-ranked pairs.
 *
 * Computed as one log-sum-exp over [0, s_n − s_p …] (the 1 is exp(0)), so large logit gaps
 * neither overflow nor lose the 1.
 */
export const lsep: LossFunction = (labels, logits) =>
  tf.tidy(() => {
    const [n, L] = labels.shape;
    const { pairs, negMinusPos } = pairGrid(labels, logits);
    const masked = tf.where(
      tf.greater(pairs, 0),
      negMinusPos,
      tf.fill(negMinusPos.shape, NOT_A_PAIR),
    );
    const terms = tf.concat([tf.zeros([n, 1]), tf.reshape(masked, [n, L * L])], 1);
    return tf.mean(tf.logSumExp(terms, 1)) as tf.Scalar;
  });
