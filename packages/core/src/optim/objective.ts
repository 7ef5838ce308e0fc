import type * as tf from '@tensorflow/tfjs-core';

/**
 * What an attack of a family plugs into the shared loops ({@link cwSearch}, {@link gradientSteps}):
 * its per-sample loss, success test and failure quality, all from the model's logits. The loops
 * build one per batch (or subset of rows) with an {@link ObjectiveFactory}.
 */
export interface Objective {
  /** Per-sample adversarial loss term [N] (minimised; multiplied by c in the CW loop). */
  readonly loss: (logits: tf.Tensor2D) => tf.Tensor1D;
  /** Per-sample success (bool [N]). */
  readonly success: (logits: tf.Tensor2D) => tf.Tensor1D;
  /** Per-sample quality of a failed iterate [N] (higher is better), for the best-result rule. */
  readonly quality: (logits: tf.Tensor2D) => tf.Tensor1D;
  /** Frees the tensors the factory created for this objective, if any. */
  readonly dispose?: () => void;
}
