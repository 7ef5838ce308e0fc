import { fromTanhSpace, inputGradient, toTanhSpace, withScope } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type { AttackContext, AttackOutput } from '../attack/attack.js';
import { MaskedAdam } from './adam.js';
import { BestTracker } from './best-tracker.js';
import type { Objective } from './objective.js';

/** Settings of the CW optimisation (spec §3 defaults in each attack's schema). */
export interface CwSettings {
  readonly learningRate: number;
  readonly maxIterations: number;
  readonly binarySearchSteps: number;
  readonly initialConstant: number;
  readonly abortEarly: boolean;
}

/** Per-sample binary search on the constant c (spec §3). */
class ConstantSearch {
  readonly c: Float64Array;
  readonly #lo: Float64Array;
  readonly #hi: Float64Array;

  constructor(n: number, c0: number) {
    this.c = new Float64Array(n).fill(c0);
    this.#lo = new Float64Array(n).fill(0);
    this.#hi = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  }

  /** The last of ≥ 10 steps reruns with the smallest constant known to succeed. */
  prepareFinalStep(): void {
    this.c.forEach((_, i) => {
      const hi = this.#hi[i] ?? Number.POSITIVE_INFINITY;
      if (Number.isFinite(hi)) this.c[i] = hi;
    });
  }

  update(succeeded: readonly boolean[]): void {
    succeeded.forEach((ok, i) => {
      const c = this.c[i] ?? 0;
      const lo = this.#lo[i] ?? 0;
      const hi = this.#hi[i] ?? Number.POSITIVE_INFINITY;
      if (ok) {
        this.#hi[i] = Math.min(hi, c);
        this.c[i] = (lo + (this.#hi[i] ?? c)) / 2;
      } else {
        this.#lo[i] = Math.max(lo, c);
        this.c[i] = Number.isFinite(hi) ? ((this.#lo[i] ?? c) + hi) / 2 : c * 10;
      }
    });
  }
}

interface StepState {
  readonly context: AttackContext;
  readonly objective: Objective;
  readonly settings: CwSettings;
  readonly w0: tf.Tensor;
  readonly best: BestTracker;
  readonly iterations: number[];
  readonly done: number;
}

/** One forward + backward pass: per-sample total loss, its gradient, the iterate and its logits. */
function evaluate(state: StepState, delta: tf.Tensor, constants: tf.Tensor1D) {
  const { context, objective, w0 } = state;
  const { box } = context.model;
  let adv: tf.Tensor | undefined;
  let logits: tf.Tensor2D | undefined;
  const { value, gradient } = inputGradient((d) => {
    const a = fromTanhSpace(tf.add(w0, d), box);
    const g = context.model.logits(a);
    adv = tf.keep(a);
    logits = tf.keep(g);
    const dist = tf.sum(tf.reshape(tf.square(tf.sub(a, context.inputs)), [a.shape[0] ?? 0, -1]), 1);
    return tf.add(dist, tf.mul(constants, objective.loss(g))) as tf.Tensor1D;
  }, delta);
  return { value, gradient, adv: adv as tf.Tensor, logits: logits as tf.Tensor2D };
}

/** Runs one binary-search step (one constant per sample); returns which samples succeeded. */
async function runStep(state: StepState, constants: Float64Array): Promise<boolean[]> {
  const { context, objective, settings, best } = state;
  const n = constants.length;
  return withScope(async (scope) => {
    const c = scope.track(tf.tensor1d(Array.from(constants), 'float32'));
    const adam = new MaskedAdam(context.inputs.shape, { learningRate: settings.learningRate });
    let delta = scope.track(tf.zerosLike(context.inputs));
    const active = new Array<boolean>(n).fill(true);
    let activeT = scope.track(tf.ones([n]) as tf.Tensor1D);
    let stepSuccess = scope.track(tf.zeros([n], 'bool') as tf.Tensor1D);
    const previous = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    const checkEvery = Math.max(1, Math.floor(settings.maxIterations / 10));
    try {
      for (let it = 0; it < settings.maxIterations; it++) {
        context.checkpoint(
          state.done + it,
          settings.maxIterations * settings.binarySearchSteps,
          active.filter(Boolean).length,
        );
        const e = evaluate(state, delta, c);
        const eligible = tf.cast(activeT, 'bool') as tf.Tensor1D;
        const succeeded = tf.tidy(
          () => tf.logicalAnd(objective.success(e.logits), eligible) as tf.Tensor1D,
        );
        const dist = tf.tidy(
          () =>
            tf.sqrt(
              tf.sum(tf.reshape(tf.square(tf.sub(e.adv, context.inputs)), [n, -1]), 1),
            ) as tf.Tensor1D,
        );
        const quality = objective.quality(e.logits);
        best.offer(e.adv, dist, succeeded, quality, eligible);
        stepSuccess = scope.replace(
          stepSuccess,
          tf.logicalOr(stepSuccess, succeeded) as tf.Tensor1D,
        );
        delta = scope.replace(delta, adam.step(delta, e.gradient, activeT));
        active.forEach((a, i) => {
          if (a) state.iterations[i] = (state.iterations[i] ?? 0) + 1;
        });
        const loss =
          settings.abortEarly && it % checkEvery === 0 ? await e.value.data() : undefined;
        tf.dispose([e.value, e.gradient, e.adv, e.logits, succeeded, dist, quality, eligible]);
        if (loss !== undefined) {
          // Early abort per sample: no real progress since the last checkpoint (spec §3).
          loss.forEach((l, i) => {
            if (active[i] && l > 0.9999 * (previous[i] ?? Number.POSITIVE_INFINITY))
              active[i] = false;
            previous[i] = l;
          });
          activeT = scope.replace(activeT, tf.tensor1d(active.map(Number)));
          if (!active.some(Boolean)) break;
        }
      }
      return Array.from(await stepSuccess.data(), Boolean);
    } finally {
      adam.dispose();
    }
  });
}

/**
 * The Carlini–Wagner optimisation shared by ML-CW, Rank I and Rank II (spec §3): δ in tanh space
 * (x' = fromTanh(w₀ + δ), so x' never leaves the box), minimise ‖x' − x‖₂² + c·loss(x') with
 * Adam, per-sample early abort and per-sample binary search on c, and keep the best iterate of
 * all steps. Attacks differ only in the {@link Objective} they pass.
 */
export async function cwSearch(
  context: AttackContext,
  objective: Objective,
  settings: CwSettings,
): Promise<AttackOutput> {
  const n = context.inputs.shape[0] ?? 0;
  const w0 = toTanhSpace(context.inputs, context.model.box);
  const best = new BestTracker(context.inputs);
  const search = new ConstantSearch(n, settings.initialConstant);
  const iterations = new Array<number>(n).fill(0);
  try {
    for (let step = 0; step < settings.binarySearchSteps; step++) {
      if (settings.binarySearchSteps >= 10 && step === settings.binarySearchSteps - 1)
        search.prepareFinalStep();
      const done = step * settings.maxIterations;
      const succeeded = await runStep(
        { context, objective, settings, w0, best, iterations, done },
        search.c,
      );
      search.update(succeeded);
    }
  } catch (error) {
    best.dispose();
    throw error;
  } finally {
    w0.dispose();
  }
  return { adversarial: best.release(), iterations, gradientEvaluations: [...iterations] };
}
