import {
  type AttackContext,
  defineAttack,
  gradientStepOptions,
  gradientSteps,
  type Objective,
  TargetError,
} from '@mlap/core';
import { ArgumentError } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { cosineTo, rankingSuccess } from './ranking-terms.js';
import {
  topKTargetedLoss,
  topKUntargetedLoss,
  topKUntargetedMargin,
  topKUntargetedSuccess,
} from './topk-terms.js';

/** TkML-AP options: projected gradient steps in an ℓ2 ball by default (spec §9). */
export const tkmlOptions = gradientStepOptions.extend({
  /** The ball the steps are projected onto. */
  norm: z.enum(['linf', 'l2']).default('l2'),
  /** Projected gradient steps. */
  iterations: z.number().int().min(1).default(50),
});

/** The untargeted form also needs k. */
export const tkmlUntargetedOptions = tkmlOptions.extend({
  /** How many top positions the labels must leave: 1..L−1. */
  k: z.number().int().min(1),
});

/** Positives of each target (1 entries) as a mask; every other label must rank below them. */
function positivesMask(context: AttackContext): tf.Tensor2D {
  const L = context.model.numLabels;
  context.targets.forEach((t, i) => {
    const k = t.filter((v) => v === 1).length;
    if (k < 1 || k > L - 1)
      throw new TargetError(i, `top-k targets need k in 1..${L - 1} positive labels; got ${k}`);
  });
  return tf.tensor2d(context.targets.map((t) => t.map((v) => (v === 1 ? 1 : 0))));
}

/** The targeted top-k objective for the rows of `context`: the labels marked 1 on top. */
function targetedObjective(context: AttackContext, kappa: number): Objective {
  const positive = positivesMask(context);
  const [negative, ideal] = tf.tidy(() => [
    tf.sub(1, positive),
    tf.sub(tf.mul(positive, 2), 1),
  ]) as [tf.Tensor2D, tf.Tensor2D];
  return {
    loss: (s) => topKTargetedLoss(s, positive, kappa),
    success: (s) => rankingSuccess(s, positive, negative),
    quality: (s) => cosineTo(s, ideal),
    dispose: () => tf.dispose([positive, negative, ideal]),
  };
}

/**
 * TkML-AP targeted (Hu et al., ICCV 2021; spec §9): the labels marked 1 must be exactly the top k,
 * every other label below them (don't-care entries count as below). Minimises
 * Σ_{j∈T} max(0, s_c − s_j + κ) with projected gradient steps in an ℓ2 (or ℓ∞) ball.
 */
export const tkmlTargeted = defineAttack({
  name: 'tkml-targeted',
  requires: { gradients: true },
  options: tkmlOptions,
  run: (context, options) =>
    gradientSteps(context, (rows) => targetedObjective(rows, options.confidence), options),
  criterion: (context, logits) =>
    tf.tidy(() => {
      const positive = positivesMask(context);
      return rankingSuccess(logits, positive, tf.sub(1, positive) as tf.Tensor2D);
    }),
});

/** The labels each untargeted target pushes out (0 entries), checked against k. */
export function untargetedTruth(context: AttackContext, k: number): tf.Tensor2D {
  const L = context.model.numLabels;
  if (k > L - 1) throw new ArgumentError('k', `must lie in 1..${L - 1}; got ${k}`);
  context.targets.forEach((t, i) => {
    const out = t.filter((v) => v === 0).length;
    if (out === 0)
      throw new TargetError(i, 'names no label to push out of the top k (mark them 0)');
    if (L - out < k)
      throw new TargetError(i, `only ${L - out} labels are left to fill the top ${k}`);
  });
  return tf.tensor2d(context.targets.map((t) => t.map((v) => (v === 0 ? 1 : 0))));
}

/** The driver's check of an untargeted top-k attack: every label marked 0 out of the top k. */
export function untargetedCriterion(
  context: AttackContext,
  logits: tf.Tensor2D,
  options: { k: number },
): tf.Tensor1D {
  return tf.tidy(() =>
    topKUntargetedSuccess(logits, untargetedTruth(context, options.k), options.k),
  );
}

/** The untargeted top-k objective: every label of Y out of the top k. */
export function untargetedObjective(truth: tf.Tensor2D, k: number, kappa: number): Objective {
  return {
    loss: (s) => topKUntargetedLoss(s, truth, k, kappa),
    success: (s) => topKUntargetedSuccess(s, truth, k),
    quality: (s) => topKUntargetedMargin(s, truth, k),
  };
}

/**
 * TkML-AP untargeted (Hu et al., ICCV 2021; spec §9): no label marked 0 (usually the true labels)
 * may remain in the top k. Minimises the hinge between the best of those labels and the k best
 * other labels, averaged, with projected gradient steps in an ℓ2 (or ℓ∞) ball.
 */
export const tkmlUntargeted = defineAttack({
  name: 'tkml-untargeted',
  requires: { gradients: true },
  options: tkmlUntargetedOptions,
  run: (context, options) =>
    gradientSteps(
      context,
      (rows) => {
        const truth = untargetedTruth(rows, options.k);
        return {
          ...untargetedObjective(truth, options.k, options.confidence),
          dispose: () => truth.dispose(),
        };
      },
      options,
    ),
  criterion: untargetedCriterion,
});
