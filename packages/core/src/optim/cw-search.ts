import { fromTanhSpace, inputGradient, toTanhSpace, withScope } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type { AttackContext, AttackOutput } from '../attack/attack.js';
import { MaskedAdam } from './adam.js';
import { BestTracker } from './best-tracker.js';
import type { Objective } from './objective.js';
import {
  activeRows,
  gatherRows,
  type ObjectiveFactory,
  type SubContext,
  scatterRows,
  subContext,
} from './rows.js';

/** Settings of the CW optimisation (spec §3 defaults in each attack's schema). */
export interface CwSettings {
  /** Adam learning rate. */
  readonly learningRate: number;
  /** Adam iterations per constant. */
  readonly maxIterations: number;
  /** Binary-search steps on the constant c. */
  readonly binarySearchSteps: number;
  /** The first constant c₀. */
  readonly initialConstant: number;
  /** Stop a sample for a constant when its loss stalls between checkpoints. */
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
  readonly factory: ObjectiveFactory;
  readonly objective: Objective;
  readonly settings: CwSettings;
  readonly w0: tf.Tensor;
  readonly best: BestTracker;
  readonly iterations: number[];
  readonly done: number;
}

/**
 * The rows one pass works on: the whole batch, or (`rows` set) the samples still active, with
 * their own context, objective, tanh-space start and constants.
 */
interface Batch {
  readonly context: AttackContext;
  readonly objective: Objective;
  readonly w0: tf.Tensor;
  readonly constants: tf.Tensor1D;
  readonly rows?: SubContext;
}

/**
 * Passes run on the active rows only once at most this share of the batch is active: gathering
 * them and writing the results back costs copies, which pay once a quarter of the batch is idle.
 */
const COMPACT_SHARE = 0.75;

/** The batch of the active rows of `full` (gathered from plain tensors, before any gradient). */
function compactBatch(full: Batch, factory: ObjectiveFactory, rows: readonly number[]): Batch {
  const sub = subContext(full.context, rows);
  try {
    const objective = factory(sub.context);
    const [w0, constants] = tf.tidy(() => [
      gatherRows(full.w0, sub.indices),
      gatherRows(full.constants, sub.indices) as tf.Tensor1D,
    ]) as [tf.Tensor, tf.Tensor1D];
    return { context: sub.context, objective, w0, constants, rows: sub };
  } catch (error) {
    sub.dispose();
    throw error;
  }
}

/** Frees what {@link compactBatch} created (nothing for the whole batch). */
function disposeBatch(batch: Batch | undefined): void {
  if (batch?.rows === undefined) return;
  batch.objective.dispose?.();
  tf.dispose([batch.w0, batch.constants]);
  batch.rows.dispose();
}

/** One forward + backward pass: per-sample total loss, its gradient, the iterate and its logits. */
function evaluate(batch: Batch, delta: tf.Tensor) {
  const { context, objective, w0, constants } = batch;
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

/**
 * One iteration's pass on `batch`, results written back to the full batch of `n` rows (zero or
 * false on rows outside it): gradient, iterate, its distance, success and quality. `value` stays
 * per row of `batch`.
 */
function iterate(batch: Batch, delta: tf.Tensor, n: number) {
  const indices = batch.rows?.indices;
  const d = indices === undefined ? delta : gatherRows(delta, indices);
  const e = evaluate(batch, d);
  if (d !== delta) d.dispose();
  const k = e.adv.shape[0] ?? 0;
  const [success, dist, quality] = tf.tidy(() => [
    batch.objective.success(e.logits),
    tf.sqrt(tf.sum(tf.reshape(tf.square(tf.sub(e.adv, batch.context.inputs)), [k, -1]), 1)),
    batch.objective.quality(e.logits),
  ]) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  e.logits.dispose();
  const own = { gradient: e.gradient, adv: e.adv, success, dist, quality };
  if (indices === undefined) return { value: e.value, ...own };
  const full = tf.tidy(() => ({
    gradient: scatterRows(own.gradient, indices, n),
    adv: scatterRows(own.adv, indices, n),
    success: scatterRows(own.success, indices, n) as tf.Tensor1D,
    dist: scatterRows(own.dist, indices, n) as tf.Tensor1D,
    quality: scatterRows(own.quality, indices, n) as tf.Tensor1D,
  }));
  tf.dispose(Object.values(own));
  return { value: e.value, ...full };
}

/** Runs one binary-search step (one constant per sample); returns which samples succeeded. */
async function runStep(state: StepState, constants: Float64Array): Promise<boolean[]> {
  const { context, settings, best } = state;
  const n = constants.length;
  return withScope(async (scope) => {
    const c = scope.track(tf.tensor1d(Array.from(constants), 'float32'));
    const whole: Batch = { context, objective: state.objective, w0: state.w0, constants: c };
    const adam = new MaskedAdam(context.inputs.shape, { learningRate: settings.learningRate });
    let delta = scope.track(tf.zerosLike(context.inputs));
    const active = new Array<boolean>(n).fill(true);
    let activeT = scope.track(tf.ones([n]) as tf.Tensor1D);
    let stepSuccess = scope.track(tf.zeros([n], 'bool') as tf.Tensor1D);
    const previous = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    const checkEvery = Math.max(1, Math.floor(settings.maxIterations / 10));
    // The active rows only change at an early-abort checkpoint: their batch is kept until then.
    let compact: Batch | undefined;
    try {
      for (let it = 0; it < settings.maxIterations; it++) {
        const live = activeRows(active);
        context.checkpoint(
          state.done + it,
          settings.maxIterations * settings.binarySearchSteps,
          live.length,
        );
        if (compact === undefined && live.length <= COMPACT_SHARE * n)
          compact = compactBatch(whole, state.factory, live);
        const batch = compact ?? whole;
        const e = iterate(batch, delta, n);
        const eligible = tf.cast(activeT, 'bool') as tf.Tensor1D;
        const succeeded = tf.logicalAnd(e.success, eligible) as tf.Tensor1D;
        best.offer(e.adv, e.dist, succeeded, e.quality, eligible);
        stepSuccess = scope.replace(
          stepSuccess,
          tf.logicalOr(stepSuccess, succeeded) as tf.Tensor1D,
        );
        delta = scope.replace(delta, adam.step(delta, e.gradient, activeT));
        for (const i of live) state.iterations[i] = (state.iterations[i] ?? 0) + 1;
        const loss =
          settings.abortEarly && it % checkEvery === 0 ? await e.value.data() : undefined;
        tf.dispose([e.value, e.gradient, e.adv, e.success, e.dist, e.quality, succeeded, eligible]);
        if (loss !== undefined) {
          // Early abort per sample: no real progress since the last checkpoint (spec §3).
          const rowOf = batch.rows?.rows;
          loss.forEach((l, p) => {
            const i = rowOf === undefined ? p : (rowOf[p] ?? p);
            if (active[i] && l > 0.9999 * (previous[i] ?? Number.POSITIVE_INFINITY))
              active[i] = false;
            previous[i] = l;
          });
          const still = active.filter(Boolean).length;
          if (still === 0) break;
          // Samples only ever stop, so a smaller count means a new set of active rows.
          if (still < live.length) {
            activeT = scope.replace(activeT, tf.tensor1d(active.map(Number)));
            disposeBatch(compact);
            compact = undefined;
          }
        }
      }
      return Array.from(await stepSuccess.data(), Boolean);
    } finally {
      disposeBatch(compact);
      adam.dispose();
    }
  });
}

/**
 * The Carlini–Wagner optimisation shared by ML-CW, Rank I and Rank II (spec §3): δ in tanh space
 * (x' = fromTanh(w₀ + δ), so x' never leaves the box), minimise ‖x' − x‖₂² + c·loss(x') with
 * Adam, per-sample early abort and per-sample binary search on c, and keep the best iterate of
 * all steps. Attacks differ only in the {@link Objective} their factory builds; once a quarter of
 * the batch has stopped, passes run on the active rows only (their own objective from `factory`).
 */
export async function cwSearch(
  context: AttackContext,
  factory: ObjectiveFactory,
  settings: CwSettings,
): Promise<AttackOutput> {
  const n = context.inputs.shape[0] ?? 0;
  const objective = factory(context);
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
        { context, factory, objective, settings, w0, best, iterations, done },
        search.c,
      );
      search.update(succeeded);
    }
  } catch (error) {
    best.dispose();
    throw error;
  } finally {
    w0.dispose();
    objective.dispose?.();
  }
  return { adversarial: best.release(), iterations, gradientEvaluations: [...iterations] };
}
