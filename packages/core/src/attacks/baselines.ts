import { z } from 'zod';
import type { AttackContext } from '../attack/attack.js';
import { defineAttack } from '../attack/attack.js';
import { classificationObjective } from '../optim/classification-terms.js';
import {
  type GradientStepOptions,
  gradientStepOptions,
  gradientSteps,
} from '../optim/gradient-steps.js';

/** The baselines minimise the ML-CW hinge in logit space toward the target (spec §6). */
const run = (context: AttackContext, options: GradientStepOptions) =>
  gradientSteps(
    context,
    (rows) => classificationObjective(rows, 'logit', options.confidence),
    options,
  );

/**
 * Multi-label FGSM (spec §6): one signed (L∞) or normalised (L2) step of size ε down the ML-CW
 * hinge toward the target. Distance: the chosen ball.
 *
 * @example
 * await runAttack(fgsm, { model, inputs, targets }, { epsilon: 8 / 255 });
 */
export const fgsm = defineAttack({
  name: 'fgsm',
  requires: { gradients: true },
  options: gradientStepOptions.extend({
    /** Steps of size ε (1: the classic one-step FGSM). */
    iterations: z.number().int().min(1).default(1),
  }),
  run,
});

/** Multi-label BIM (iterative FGSM, spec §6): `iterations` steps projected onto the ε-ball. */
export const bim = defineAttack({
  name: 'bim',
  requires: { gradients: true },
  options: gradientStepOptions,
  run,
});

/** Multi-label PGD (spec §6): BIM from a random start in the ε-ball (seeded). */
export const pgd = defineAttack({
  name: 'pgd',
  requires: { gradients: true },
  options: gradientStepOptions.extend({
    /** Start from a seeded uniform point of the ε-ball instead of the input. */
    randomStart: z.boolean().default(true),
  }),
  run,
});

/** Multi-label MI-FGSM (spec §6): BIM with momentum μ = 1 on L1-normalised gradients. */
export const miFgsm = defineAttack({
  name: 'mi-fgsm',
  requires: { gradients: true },
  options: gradientStepOptions.extend({
    /** Momentum μ: the decay of the accumulated L1-normalised gradient. */
    momentum: z.number().min(0).default(1),
  }),
  run,
});
