import {
  clipToBox,
  inputGradient,
  l1Norm,
  l2Norm,
  projectL2Ball,
  projectLinfBall,
  Rng,
  withScope,
} from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { AttackContext, AttackOutput } from '../attack/attack.js';
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

/** Options shared by the gradient baselines (spec §6). ε and step default from the box. */
export const gradientStepOptions = z.object({
  /** The threat model: an L∞ or an L2 ball around the clean input. */
  norm: z.enum(['linf', 'l2']).default('linf'),
  /** Ball radius ε in input units; default 8/255 of the box width (L∞) or RMS 2/255 per value (L2). */
  epsilon: z.number().positive().optional(),
  /** Step size α; default ε for one step, else 2.5·ε / iterations. */
  stepSize: z.number().positive().optional(),
  /** Steps. */
  iterations: z.number().int().min(1).default(10),
  /** Start from a random point of the ball (PGD). */
  randomStart: z.boolean().default(false),
  /** Momentum μ of MI-FGSM (0: plain steps). */
  momentum: z.number().min(0).default(0),
  /** Confidence κ of the ML-CW hinge being minimised (logit space). */
  confidence: z.number().min(0).default(0),
  /** Stop moving a sample once it succeeds (its first successful iterate is kept). */
  earlyStop: z.boolean().default(true),
});

/** Resolved options of a gradient baseline. */
export type GradientStepOptions = z.output<typeof gradientStepOptions>;

function radius(context: AttackContext, o: GradientStepOptions): number {
  if (o.epsilon !== undefined) return o.epsilon;
  const width = context.model.box.hi - context.model.box.lo;
  const d = context.model.inputShape.reduce((a, b) => a * b, 1);
  return o.norm === 'linf' ? (width * 8) / 255 : (width * 2 * Math.sqrt(d)) / 255;
}

function perSample(t: tf.Tensor1D, rank: number): tf.Tensor {
  return tf.reshape(t, [t.shape[0], ...new Array<number>(rank - 1).fill(1)]);
}

/** A random start inside the ball, drawn from the attack's seed (identical on every backend). */
function randomStart(context: AttackContext, o: GradientStepOptions, eps: number): tf.Tensor {
  const { inputs } = context;
  const rng = Rng.seeded(context.seed);
  return tf.tidy(() => {
    if (o.norm === 'linf') return rng.uniformTensor(inputs.shape, -eps, eps);
    // Uniform in the L2 ball: a Gaussian direction, radius ε·u^(1/d).
    const n = inputs.shape[0] ?? 0;
    const d = inputs.size / Math.max(n, 1);
    const dir = rng.normalTensor(inputs.shape);
    const scale = tf.tensor1d(Array.from({ length: n }, () => eps * rng.uniform() ** (1 / d)));
    return tf.mul(tf.divNoNan(dir, perSample(l2Norm(dir), dir.rank)), perSample(scale, dir.rank));
  });
}

/** The step direction: sign for L∞, unit L2 direction for L2 (per sample). */
function direction(g: tf.Tensor, norm: GradientStepOptions['norm']): tf.Tensor {
  return tf.tidy(() =>
    norm === 'linf' ? tf.sign(g) : tf.divNoNan(g, perSample(l2Norm(g), g.rank)),
  );
}

/** The rows a pass works on: the whole batch, or (`rows` set) the samples still active. */
interface Batch {
  readonly context: AttackContext;
  readonly objective: Objective;
  readonly rows?: SubContext;
}

/** Passes run on the active rows only once at most this share of the batch is active. */
const COMPACT_SHARE = 0.75;

/**
 * Hands out the batch of the active rows: the whole one while most samples are active, else their
 * own context and objective, rebuilt when the active set shrinks (samples only ever stop).
 */
class Batches {
  readonly #whole: Batch;
  readonly #factory: ObjectiveFactory;
  #compact: Batch | undefined;

  constructor(whole: Batch, factory: ObjectiveFactory) {
    this.#whole = whole;
    this.#factory = factory;
  }

  for(active: readonly boolean[]): Batch {
    const live = activeRows(active);
    if (live.length > COMPACT_SHARE * active.length) return this.#whole;
    if (this.#compact?.rows?.rows.length === live.length) return this.#compact;
    this.dispose();
    const sub = subContext(this.#whole.context, live);
    try {
      this.#compact = { context: sub.context, objective: this.#factory(sub.context), rows: sub };
    } catch (error) {
      sub.dispose();
      throw error;
    }
    return this.#compact;
  }

  dispose(): void {
    this.#compact?.objective.dispose?.();
    this.#compact?.rows?.dispose();
    this.#compact = undefined;
  }
}

/** Offers the current iterates to the tracker; with early stop, successful samples stop moving. */
async function offer(
  batch: Batch,
  best: BestTracker,
  adv: tf.Tensor,
  active: boolean[],
  earlyStop: boolean,
): Promise<void> {
  const { context, objective, rows } = batch;
  const n = active.length;
  const [succ, dist, quality] = tf.tidy(() => {
    const x = rows === undefined ? adv : gatherRows(adv, rows.indices);
    const logits = context.model.logits(x);
    const own = [
      objective.success(logits),
      l2Norm(tf.sub(x, context.inputs)),
      objective.quality(logits),
    ];
    return rows === undefined ? own : own.map((t) => scatterRows(t, rows.indices, n));
  }) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  const eligible = tf.tensor1d(active, 'bool');
  best.offer(adv, dist, succ, quality, eligible);
  const flags = earlyStop ? await succ.data() : undefined;
  tf.dispose([eligible, succ, dist, quality]);
  flags?.forEach((s, i) => {
    if (s) active[i] = false;
  });
}

/** The gradient of the objective's loss at the active rows of `adv`, zero on the other rows. */
function lossGradient(batch: Batch, adv: tf.Tensor, n: number): tf.Tensor {
  const { context, objective, rows } = batch;
  const loss = (x: tf.Tensor) => objective.loss(context.model.logits(x));
  if (rows === undefined) {
    const { value, gradient } = inputGradient(loss, adv);
    value.dispose();
    return gradient;
  }
  // Gathered before the gradient pass, on a plain tensor: the differentiated path has no gather.
  const x = gatherRows(adv, rows.indices);
  const { value, gradient } = inputGradient(loss, x);
  const full = scatterRows(gradient, rows.indices, n);
  tf.dispose([x, value, gradient]);
  return full;
}

/**
 * The loop shared by FGSM, BIM, PGD, MI-FGSM and the top-k attacks: descend the objective's loss
 * with signed (L∞) or normalised (L2) steps, project onto the ε-ball, clip to the box. The best
 * iterate per sample follows the common rule (successful and closest, else highest quality).
 * `factory` builds the attack's {@link Objective} for a batch; once a quarter of the samples have
 * stopped (early stop), passes run on the active rows only, with their own objective.
 */
export async function gradientSteps(
  context: AttackContext,
  factory: ObjectiveFactory,
  o: GradientStepOptions,
): Promise<AttackOutput> {
  const { model, inputs } = context;
  const n = inputs.shape[0] ?? 0;
  const eps = radius(context, o);
  const alpha = o.stepSize ?? (o.iterations === 1 ? eps : (2.5 * eps) / o.iterations);
  const project = (r: tf.Tensor) =>
    o.norm === 'linf' ? projectLinfBall(r, eps) : projectL2Ball(r, eps);
  const objective = factory(context);
  const batches = new Batches({ context, objective }, factory);
  const best = new BestTracker(inputs);
  const iterations = new Array<number>(n).fill(0);
  try {
    await withScope(async (scope) => {
      let adv = scope.track(
        o.randomStart
          ? tf.tidy(() => clipToBox(tf.add(inputs, randomStart(context, o, eps)), model.box))
          : inputs.clone(),
      );
      let velocity = scope.track(tf.zerosLike(inputs));
      const active = new Array<boolean>(n).fill(true);
      for (let it = 0; it <= o.iterations; it++) {
        context.checkpoint(it, o.iterations, active.filter(Boolean).length);
        // As in ML-DeepFool, the clean input is not a candidate: only stepped iterates are.
        if (it > 0) await offer(batches.for(active), best, adv, active, o.earlyStop);
        if (it === o.iterations || !active.some(Boolean)) break;
        const gradient = lossGradient(batches.for(active), adv, n);
        const next = tf.tidy(() => {
          // MI-FGSM: accumulate L1-normalised gradients; μ = 0 is a plain step.
          const g = tf.add(
            tf.mul(velocity, o.momentum),
            tf.divNoNan(gradient, perSample(l1Norm(gradient), gradient.rank)),
          );
          const mask = perSample(tf.tensor1d(active.map(Number)), inputs.rank);
          const moved = tf.sub(adv, tf.mul(tf.mul(direction(g, o.norm), alpha), mask));
          return {
            velocity: g,
            adv: clipToBox(tf.add(inputs, project(tf.sub(moved, inputs))), model.box),
          };
        });
        gradient.dispose();
        velocity = scope.replace(velocity, next.velocity);
        adv = scope.replace(adv, next.adv);
        active.forEach((a, i) => {
          if (a) iterations[i] = (iterations[i] ?? 0) + 1;
        });
      }
    });
  } catch (error) {
    best.dispose();
    throw error;
  } finally {
    batches.dispose();
    objective.dispose?.();
  }
  return { adversarial: best.release(), iterations, gradientEvaluations: [...iterations] };
}
