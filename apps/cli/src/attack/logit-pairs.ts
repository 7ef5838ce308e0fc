import type { MultiLabelModel } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A sample's logits before and after the attack: what ranking measures (Kendall τ, top-k) and the
 * report's per-label score bars need.
 */
export interface LogitPair {
  readonly logits: number[];
  readonly adversarialLogits: number[];
}

/** The logits of each clean and adversarial input of a batch, sample by sample. */
export async function logitPairs(
  model: MultiLabelModel,
  clean: tf.Tensor,
  adversarial: tf.Tensor,
): Promise<LogitPair[]> {
  const [before, after] = tf.tidy(() => [model.logits(clean), model.logits(adversarial)]);
  try {
    const [b, a] = (await Promise.all([before.array(), after.array()])) as number[][][];
    return (b ?? []).map((logits, i): LogitPair => ({ logits, adversarialLogits: a?.[i] ?? [] }));
  } finally {
    tf.dispose([before, after]);
  }
}
