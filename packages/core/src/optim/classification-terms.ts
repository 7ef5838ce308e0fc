import * as tf from '@tensorflow/tfjs-core';
import type { AttackContext } from '../attack/attack.js';
import { decide, logitThresholds } from '../model/decision.js';
import type { Objective } from './objective.js';

/** The space a margin is measured in: probabilities (p − τ) or logits (g − logit τ). */
export type MarginSpace = 'prob' | 'logit';

/** Per-label margins m_j above the threshold, [N, L], in the chosen space (spec §3). */
export function margins(
  context: AttackContext,
  logits: tf.Tensor2D,
  space: MarginSpace,
): tf.Tensor2D {
  return tf.tidy(() =>
    space === 'prob'
      ? tf.sub(tf.sigmoid(logits), tf.tensor1d(context.model.thresholds as number[]))
      : tf.sub(logits, logitThresholds(context.model)),
  ) as tf.Tensor2D;
}

/**
 * The ML-CW hinge per sample: Σ_{j cared} max(0, κ − y*_j·m_j) — zero once every cared-for
 * label sits on its target side by at least κ.
 */
export function classificationHinge(
  context: AttackContext,
  logits: tf.Tensor2D,
  space: MarginSpace,
  kappa: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const signed = tf.mul(context.target.sign, margins(context, logits, space));
    return tf.sum(tf.mul(tf.relu(tf.sub(kappa, signed)), context.target.care), 1) as tf.Tensor1D;
  });
}

/** Per-sample count of cared-for labels decided wrongly by the model's rule, [N]. */
export function wrongCount(context: AttackContext, logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const wrong = tf.abs(tf.sub(decide(context.model, logits), context.target.present));
    return tf.sum(tf.mul(wrong, context.target.care), 1) as tf.Tensor1D;
  });
}

/** Per-sample success (bool [N]): every cared-for label decided as the target says (spec §1). */
export function successMask(context: AttackContext, logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.equal(wrongCount(context, logits), 0) as tf.Tensor1D);
}

/** Per-sample number of cared-for labels decided as the target says, [N]. */
export function matchingCount(context: AttackContext, logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(
    () => tf.sub(tf.sum(context.target.care, 1), wrongCount(context, logits)) as tf.Tensor1D,
  );
}

/**
 * The classification objective of spec §3: the ML-CW hinge, success when every cared-for label is
 * decided as the target says, and the number of matching labels as the failure quality.
 */
export function classificationObjective(
  context: AttackContext,
  space: MarginSpace,
  kappa: number,
): Objective {
  return {
    loss: (logits) => classificationHinge(context, logits, space, kappa),
    success: (logits) => successMask(context, logits),
    quality: (logits) => matchingCount(context, logits),
  };
}
