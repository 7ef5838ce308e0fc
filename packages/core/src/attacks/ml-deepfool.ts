import { batchedJacobian, clipToBox, withScope } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { type AttackContext, defineAttack } from '../attack/attack.js';
import { BestTracker } from '../optim/best-tracker.js';
import { matchingCount, successMask } from '../optim/classification-terms.js';
import { solveLinear } from '../optim/linear-solve.js';
import { activeRows, gatherRows, scatterRows, subContext } from '../optim/rows.js';
import type { TargetVector } from '../targets/target.js';

/** ML-DeepFool options with the defaults of spec §4. */
export const mlDeepFoolOptions = z.object({
  /** `'violated'`: only labels on the wrong side (or within η of it); `'all'`: every cared-for label. */
  constraints: z.enum(['violated', 'all']).default('violated'),
  /** Space of the linearisation: logits (default) or probabilities (as the public port). */
  space: z.enum(['logit', 'prob']).default('logit'),
  /** Overshoot η past the threshold, in the chosen space. */
  overshoot: z.number().min(0).default(0.02),
  /** Linearised steps at most. */
  maxIterations: z.number().int().min(1).default(20),
  /** Ridge factor: λ = ridge · trace(J_C J_Cᵀ) / |C|. */
  ridge: z.number().min(0).default(1e-10),
  /**
   * Labels whose gradients each step computes: `'needed'` (default) only those some sample's C
   * can contain this step (cared-for, and for `'violated'` on the wrong side or within η), one
   * backward pass each; `'all'` every label, as spec §4 step 1 states. Same results: the step
   * reads no other gradient. `'needed'` is what makes a step on an 80-label detector affordable.
   */
  jacobianLabels: z.enum(['needed', 'all']).default('needed'),
});

type DeepFoolOptions = z.output<typeof mlDeepFoolOptions>;

interface Linearisation {
  /** Scores s in the chosen space, [N·L] row-major. */
  readonly scores: Float32Array | Int32Array | Uint8Array;
  /** The K labels whose gradients were computed, in Jacobian order. */
  readonly labels: readonly number[];
  /** Gram matrices J_K J_Kᵀ of those labels, [N·K·K] row-major. */
  readonly gram: Float32Array | Int32Array | Uint8Array;
}

/** Whether label j of a sample with score s belongs to C (spec §4 step 2). */
function inConstraintSet(
  v: number | null | undefined,
  s: number,
  t: number,
  options: DeepFoolOptions,
): boolean {
  if (v === null || v === undefined) return false;
  return options.constraints === 'all' || (2 * v - 1) * (s - t) < options.overshoot;
}

/**
 * The labels whose gradients this step needs, ascending: every label in some active sample's C
 * (or all of them with `jacobianLabels: 'all'`). `scores` are the active rows' [m·L] scores.
 */
function neededLabels(
  scores: ArrayLike<number>,
  targets: readonly (TargetVector | undefined)[],
  thresholds: readonly number[],
  options: DeepFoolOptions,
): number[] {
  const L = thresholds.length;
  if (options.jacobianLabels === 'all') return Array.from({ length: L }, (_, j) => j);
  const needed = new Set<number>();
  targets.forEach((target, p) => {
    for (let j = 0; j < L; j++) {
      const s = scores[p * L + j] ?? 0;
      if (inConstraintSet(target?.[j], s, thresholds[j] ?? 0, options)) needed.add(j);
    }
  });
  return [...needed].sort((a, b) => a - b);
}

/**
 * Success, distance and matching count [N] of the iterates `adv` of the samples not done, from a
 * forward pass on those rows only (zero or false on the others, which are not eligible).
 */
function judge(context: AttackContext, adv: tf.Tensor, rows: readonly number[]) {
  const n = context.inputs.shape[0] ?? 0;
  const measure = (c: AttackContext, x: tf.Tensor) =>
    tf.tidy(() => {
      const logits = c.model.logits(x);
      const k = x.shape[0] ?? 0;
      return [
        successMask(c, logits),
        tf.sqrt(tf.sum(tf.reshape(tf.square(tf.sub(x, c.inputs)), [k, -1]), 1)),
        matchingCount(c, logits),
      ];
    }) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  if (rows.length === n) return measure(context, adv);
  const sub = subContext(context, rows);
  try {
    return tf.tidy(() =>
      measure(sub.context, gatherRows(adv, sub.indices)).map((t) => scatterRows(t, sub.indices, n)),
    ) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  } finally {
    sub.dispose();
  }
}

/**
 * The minimum-norm step coefficients of one sample: α_C = (J_C J_Cᵀ + λI)⁻¹ (target − s_C), so
 * that r = J_Cᵀ α_C moves every label of C onto its linearised target value (spec §4 step 3).
 * Labels whose gradient is zero cannot be moved: they are dropped and reported.
 */
function stepCoefficients(
  i: number, // the sample's row in `lin`
  lin: Linearisation,
  target: TargetVector,
  thresholds: readonly number[],
  options: DeepFoolOptions,
): { alpha: number[]; zeroRows: number[] } {
  const L = thresholds.length;
  const K = lin.labels.length;
  // α per computed label (Jacobian order); labels outside C keep 0.
  const alpha = new Array<number>(K).fill(0);
  const zeroRows: number[] = [];
  const chosen: number[] = []; // positions in lin.labels
  lin.labels.forEach((j, q) => {
    const s = lin.scores[i * L + j] ?? 0;
    if (!inConstraintSet(target[j], s, thresholds[j] ?? 0, options)) return;
    if ((lin.gram[(i * K + q) * K + q] ?? 0) === 0) zeroRows.push(j);
    else chosen.push(q);
  });
  if (chosen.length === 0) return { alpha, zeroRows };
  const k = chosen.length;
  const g = chosen.flatMap((a) => chosen.map((b) => lin.gram[(i * K + a) * K + b] ?? 0));
  const trace = chosen.reduce((sum, _, p) => sum + (g[p * k + p] ?? 0), 0);
  const lambda = (options.ridge * trace) / k;
  for (let p = 0; p < k; p++) g[p * k + p] = (g[p * k + p] ?? 0) + lambda;
  const rhs = chosen.map((q) => {
    const j = lin.labels[q] ?? 0;
    const y = 2 * (target[j] ?? 0) - 1;
    return (thresholds[j] ?? 0) + y * options.overshoot - (lin.scores[i * L + j] ?? 0);
  });
  const solution = solveLinear(g, rhs) ?? new Array<number>(k).fill(0);
  chosen.forEach((q, p) => {
    alpha[q] = solution[p] ?? 0;
  });
  return { alpha, zeroRows };
}

/**
 * The labels {@link neededLabels} names at x, with the active rows' targets: a forward pass for
 * the scores when `'violated'` must see them, else the cared-for labels (or all).
 */
async function labelsToDifferentiate(
  f: (x: tf.Tensor) => tf.Tensor2D,
  x: tf.Tensor,
  targets: readonly (TargetVector | undefined)[],
  thresholds: readonly number[],
  options: DeepFoolOptions,
): Promise<number[]> {
  if (options.jacobianLabels === 'all' || options.constraints === 'all') {
    // Scores only decide membership of C under 'violated': any score will do here.
    return neededLabels(
      new Float32Array(targets.length * thresholds.length),
      targets,
      thresholds,
      options,
    );
  }
  const scores = tf.tidy(() => f(x));
  try {
    return neededLabels(await scores.data(), targets, thresholds, options);
  } finally {
    scores.dispose();
  }
}

/**
 * Scores, the Jacobian of the labels this step needs ([m, K, ...]) and their Gram matrices at x,
 * the m active rows. The caller owns the Jacobian.
 */
async function linearise(
  f: (x: tf.Tensor) => tf.Tensor2D,
  x: tf.Tensor,
  targets: readonly (TargetVector | undefined)[],
  thresholds: readonly number[],
  options: DeepFoolOptions,
): Promise<{ lin: Linearisation; jacobian: tf.Tensor }> {
  const labels = await labelsToDifferentiate(f, x, targets, thresholds, options);
  const { scores, jacobian } = batchedJacobian(f, x, { labels });
  try {
    const m = targets.length;
    const K = labels.length;
    const gram = tf.tidy(() => {
      const flat = tf.reshape(jacobian, [m, K, x.size / Math.max(1, m)]);
      return K === 0 ? tf.zeros([m, 0, 0]) : tf.matMul(flat, flat, false, true);
    });
    const lin = { scores: await scores.data(), labels, gram: await gram.data() };
    gram.dispose();
    return { lin, jacobian };
  } catch (error) {
    jacobian.dispose();
    throw error;
  } finally {
    scores.dispose();
  }
}

/** r = J_Kᵀ α per sample, [m, ...inputShape], from α [m][K] and the Jacobian [m, K, ...]. */
function perturbationStep(alphas: number[][], jacobian: tf.Tensor, inner: number[]): tf.Tensor {
  const [m = 0, K = 0] = jacobian.shape;
  // No label needed a gradient: no step (a product over an empty axis is not safe everywhere).
  if (K === 0) return tf.zeros([m, ...inner]);
  const alpha = tf.tensor3d(alphas.flat(), [m, 1, K]);
  const flat = tf.reshape(jacobian, [m, K, -1]);
  return tf.reshape(tf.matMul(alpha, flat), [m, ...inner]);
}

function thresholdsIn(context: AttackContext, space: DeepFoolOptions['space']): number[] {
  const tau = context.model.thresholds;
  return space === 'prob' ? [...tau] : tau.map((t) => Math.log(t) - Math.log1p(-t));
}

/**
 * ML-DeepFool (Song et al. 2018; spec §4): repeated minimum-norm linearised steps. Each step takes
 * the scores and the Jacobian at the current x' (`batchedJacobian`, on the samples not yet done
 * only, and by default only for the labels C can contain),
 * chooses the constraint set C, and solves r = J_Cᵀ(J_C J_Cᵀ + λI)⁻¹(t_C + y*_C·η − s_C) in float64;
 * the total perturbation is clipped to the box. Returns the successful iterate with the smallest
 * ‖x' − x‖₂ (else the one matching most labels). Distance: L2. Gradient evaluations count one per
 * label differentiated per step.
 *
 * @example
 * const result = await runAttack(mlDeepFool, { model, inputs, targets }, { constraints: 'all' });
 */
export const mlDeepFool = defineAttack({
  name: 'ml-deepfool',
  requires: { gradients: true },
  options: mlDeepFoolOptions,
  run: (context, options) =>
    withScope(async (scope) => {
      const { model, inputs } = context;
      const n = inputs.shape[0] ?? 0;
      const thresholds = thresholdsIn(context, options.space);
      const f = (x: tf.Tensor) =>
        options.space === 'prob' ? (tf.sigmoid(model.logits(x)) as tf.Tensor2D) : model.logits(x);
      const best = new BestTracker(inputs);
      let adv = scope.track(inputs.clone());
      let total = scope.track(tf.zerosLike(inputs));
      const done = new Array<boolean>(n).fill(false);
      const pending = () => done.map((d) => !d);
      const iterations = new Array<number>(n).fill(0);
      const gradients = new Array<number>(n).fill(0);
      const zeroRows = Array.from({ length: n }, () => new Set<number>());
      try {
        for (let k = 0; ; k++) {
          context.checkpoint(k, options.maxIterations, done.filter((d) => !d).length);
          if (k > 0) {
            // The clean input is not a candidate: only iterates after a step are (spec §4.5).
            const eligible = tf.tensor1d(pending(), 'bool');
            const [succ, dist, quality] = judge(context, adv, activeRows(pending()));
            best.offer(adv, dist, succ, quality, eligible);
            const flags = await succ.data();
            flags.forEach((s, i) => {
              if (s) done[i] = true;
            });
            tf.dispose([eligible, succ, dist, quality]);
          }
          if (k === options.maxIterations || done.every(Boolean)) break;
          // Scores and Jacobian of the samples not done only: their rows are gathered first.
          const rows = activeRows(pending());
          const m = rows.length;
          const indices = m < n ? tf.tensor1d(rows, 'int32') : undefined;
          const x = indices === undefined ? adv : gatherRows(adv, indices);
          let next: { total: tf.Tensor; adv: tf.Tensor };
          try {
            const targets = rows.map((i) => context.targets[i]);
            const { lin, jacobian } = await linearise(f, x, targets, thresholds, options);
            try {
              const alphas = rows.map((i, p) => {
                const step = stepCoefficients(
                  p,
                  lin,
                  context.targets[i] ?? [],
                  thresholds,
                  options,
                );
                for (const j of step.zeroRows) zeroRows[i]?.add(j);
                iterations[i] = (iterations[i] ?? 0) + 1;
                gradients[i] = (gradients[i] ?? 0) + lin.labels.length;
                return step.alpha;
              });
              next = tf.tidy(() => {
                const step = perturbationStep(alphas, jacobian, inputs.shape.slice(1));
                const r = indices === undefined ? step : scatterRows(step, indices, n);
                const t = tf.add(total, r);
                return { total: t, adv: clipToBox(tf.add(inputs, t), model.box) };
              });
            } finally {
              jacobian.dispose();
            }
          } finally {
            if (indices !== undefined) tf.dispose([indices, x]);
          }
          total = scope.replace(total, next.total);
          adv = scope.replace(adv, next.adv);
        }
      } catch (error) {
        best.dispose();
        throw error;
      }
      return {
        adversarial: best.release(),
        iterations,
        gradientEvaluations: gradients,
        details: zeroRows.map((rows) =>
          rows.size === 0 ? undefined : { zeroGradientLabels: [...rows].sort((a, b) => a - b) },
        ),
      };
    }),
});
