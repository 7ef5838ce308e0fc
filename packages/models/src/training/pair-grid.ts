import * as tf from '@tensorflow/tfjs-core';

/** Every (label p, label n) pair of every sample, as [N, L, L] tensors indexed [sample, p, n]. */
export interface PairGrid {
  /** 1 where p is a present label and n an absent one, else 0 (a constant of the labels). */
  readonly pairs: tf.Tensor3D;
  /** s_n − s_p: how far the absent label's logit is above the present one's. */
  readonly negMinusPos: tf.Tensor3D;
}

/**
 * The (present, absent) label pairs of a batch and their logit differences, broadcast to
 * [N, L, L] so pairwise losses run as a few batched ops instead of per-sample JS loops.
 * Allocates tensors: call it inside `tf.tidy`.
 */
export function pairGrid(labels: tf.Tensor2D, logits: tf.Tensor2D): PairGrid {
  const [n, L] = labels.shape;
  const pairs = tf.mul(tf.reshape(labels, [n, L, 1]), tf.reshape(tf.sub(1, labels), [n, 1, L]));
  const negMinusPos = tf.sub(tf.reshape(logits, [n, 1, L]), tf.reshape(logits, [n, L, 1]));
  return { pairs: pairs as tf.Tensor3D, negMinusPos: negMinusPos as tf.Tensor3D };
}
