import { ArgumentError } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { lsep } from './lsep-loss.js';
import { warp } from './warp-loss.js';

/** A training loss on logits [N, L] and 0/1 labels [N, L], returning a scalar. */
export type LossFunction = (labels: tf.Tensor2D, logits: tf.Tensor2D) => tf.Scalar;

/** Names of the built-in losses, for option parsers that check a user's choice. */
export const lossNames = ['binary-cross-entropy', 'pairwise-hinge', 'lsep', 'warp'] as const;

/** Names of the built-in losses: BCE, the pairwise hinge, LSEP ({@link lsep}), WARP ({@link warp}). */
export type LossName = (typeof lossNames)[number];

/** Mean binary cross-entropy over samples and labels, computed stably from logits. */
export const binaryCrossEntropy: LossFunction = (labels, logits) =>
  tf.losses.sigmoidCrossEntropy(labels, logits) as tf.Scalar;

/**
 * Pairwise ranking hinge loss: for every sample, the mean over (relevant p, irrelevant n) pairs of
 * max(0, margin − (g_p − g_n)); samples with no such pair count 0. It trains the scores to rank
 * every present label above every absent one (as the ranking attacks assume), not to calibrate
 * them, so thresholds at 0.5 are not meaningful for models trained with it alone.
 */
export function pairwiseHinge(margin = 1): LossFunction {
  return (labels, logits) =>
    tf.tidy(() => {
      const [n, L] = labels.shape;
      const diff = tf.sub(tf.reshape(logits, [n, L, 1]), tf.reshape(logits, [n, 1, L]));
      const pairs = tf.mul(tf.reshape(labels, [n, L, 1]), tf.reshape(tf.sub(1, labels), [n, 1, L]));
      const hinge = tf.mul(tf.relu(tf.sub(margin, diff)), pairs);
      const perSample = tf.div(tf.sum(hinge, [1, 2]), tf.maximum(tf.sum(pairs, [1, 2]), 1));
      return tf.mean(perSample) as tf.Scalar;
    });
}

/** The loss function of a built-in loss name; an unknown name throws an `ArgumentError` naming `loss`. */
export function lossFunction(name: LossName): LossFunction {
  switch (name) {
    case 'pairwise-hinge':
      return pairwiseHinge();
    case 'lsep':
      return lsep;
    case 'warp':
      return warp;
    case 'binary-cross-entropy':
      return binaryCrossEntropy;
    default:
      // Reachable from untyped callers (JSON configs, CLI strings): never fall back silently.
      throw new ArgumentError(
        'loss',
        `must be one of ${lossNames.join(', ')}; got "${String(name)}"`,
      );
  }
}
