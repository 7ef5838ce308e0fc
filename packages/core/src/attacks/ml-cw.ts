import { z } from 'zod';
import { defineAttack } from '../attack/attack.js';
import { classificationObjective } from '../optim/classification-terms.js';
import { cwSearch } from '../optim/cw-search.js';

/** ML-CW options with the defaults of spec §3. */
export const mlCwOptions = z.object({
  /** Margin space: `'prob'` (p − τ, as the public port) or `'logit'` (g − logit τ). */
  space: z.enum(['prob', 'logit']).default('prob'),
  /** Confidence κ ≥ 0 of the hinge. */
  confidence: z.number().min(0).default(0),
  /** Adam learning rate. */
  learningRate: z.number().positive().default(0.01),
  /** Adam iterations per constant. */
  maxIterations: z.number().int().min(1).default(1000),
  /** Binary-search steps on c. */
  binarySearchSteps: z.number().int().min(1).default(10),
  /** First constant c₀ (the public port's 1e5 gives 1.5–5.8× larger perturbations). */
  initialConstant: z.number().positive().default(1),
  /** Stop a sample for a constant when its loss stalls between checkpoints. */
  abortEarly: z.boolean().default(true),
});

/**
 * ML-CW (Song et al. 2018; spec §3): the minimum-L2 targeted attack on the thresholded
 * multi-label classifier, Carlini–Wagner style. Minimises ‖x' − x‖₂² + c·Σ_{j cared}
 * max(0, κ − y*_j·m_j(x')) in tanh space with Adam, per-sample early abort and binary search on c,
 * returning the successful iterate with the smallest ‖r‖₂ (else the one matching most labels).
 * Distance: L2. Inputs [N, ...inputShape]; targets {0, 1, null}^L per sample.
 *
 * @example
 * const result = await runAttack(mlCw, { model, inputs, targets }, { maxIterations: 200 });
 */
export const mlCw = defineAttack({
  name: 'ml-cw',
  requires: { gradients: true },
  options: mlCwOptions,
  run: (context, options) =>
    cwSearch(
      context,
      (rows) => classificationObjective(rows, options.space, options.confidence),
      options,
    ),
});
