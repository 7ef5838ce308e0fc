import type { Box } from '@mlap/tensor';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * The contract every victim fits: a differentiable map from a batch of inputs to per-label
 * scores in logit space, plus the box inputs live in and the decision rule (label j is present
 * when σ(g_j) ≥ τ_j on the float32 probability).
 */
export interface MultiLabelModel {
  /** Number of labels L. */
  readonly numLabels: number;
  /** Optional label names, in score order. */
  readonly labelNames: readonly string[] | undefined;
  /** Shape of one input, e.g. [32, 32, 3]. */
  readonly inputShape: readonly number[];
  /** The value range of every input (e.g. the pixel range). */
  readonly box: Box;
  /** Per-label probability thresholds τ_j in (0, 1). */
  readonly thresholds: readonly number[];
  /** Logits g(x): [N, ...inputShape] → [N, L]. Differentiable; samples independent. */
  logits(x: tf.Tensor): tf.Tensor2D;
}
