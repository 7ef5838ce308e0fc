import * as tf from '@tensorflow/tfjs-core';
import type { MultiLabelModel } from './multi-label-model.js';

/**
 * The decision rule of spec §0 applied to logits: label j is present (1) when σ(g_j) ≥ τ_j on
 * the float32 probability. Returns a float32 0/1 tensor [N, L].
 */
export function decide(model: MultiLabelModel, logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() =>
    tf.cast(
      tf.greaterEqual(tf.sigmoid(logits), tf.tensor1d(model.thresholds as number[])),
      'float32',
    ),
  ) as tf.Tensor2D;
}

/** Thresholds in logit space, logit(τ_j), as a tensor [L]. */
export function logitThresholds(model: MultiLabelModel): tf.Tensor1D {
  return tf.tensor1d(model.thresholds.map((t) => Math.log(t) - Math.log1p(-t)));
}

/** The model's predicted label sets for a batch, as 0/1 arrays. */
export async function predictLabels(model: MultiLabelModel, x: tf.Tensor): Promise<(0 | 1)[][]> {
  const labels = tf.tidy(() => decide(model, model.logits(x)));
  const values = (await labels.array()) as (0 | 1)[][];
  labels.dispose();
  return values;
}
