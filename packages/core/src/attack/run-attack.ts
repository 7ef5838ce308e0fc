import {
  ArgumentError,
  assertGradientsAvailable,
  clipToBox,
  l2Norm,
  linfNorm,
  relativeL2,
  rmsd,
} from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import { AttackAbortedError } from '../errors/attack-aborted-error.js';
import { predictLabels } from '../model/decision.js';
import type { MultiLabelModel } from '../model/multi-label-model.js';
import { validateInputs } from '../model/validate-inputs.js';
import {
  type LabelVector,
  mismatches,
  type TargetVector,
  targetTensors,
  validateTargets,
} from '../targets/target.js';
import type { Attack, AttackContext, AttackOutput, AttackProgress } from './attack.js';
import type { SampleResult } from './sample-result.js';

/** What to attack: the model, the batch, one target per sample, and run controls. */
export interface AttackRequest {
  /** The victim. */
  readonly model: MultiLabelModel;
  /** Clean inputs [N, ...inputShape]. */
  readonly inputs: tf.Tensor;
  /** One target per sample. */
  readonly targets: readonly TargetVector[];
  /** Labels each sample starts from; default: the model's clean prediction. */
  readonly start?: readonly LabelVector[];
  /** Seed for every random choice (default 0). */
  readonly seed?: number;
  /** Stops the attack within one iteration; the run then rejects with AttackAbortedError. */
  readonly signal?: AbortSignal;
  /** Called once per iteration. */
  readonly onProgress?: (progress: AttackProgress) => void;
}

/** The verified results of an attack on a batch. Dispose it to free its tensors. */
export interface AttackResult {
  /** The attack's name. */
  readonly attack: string;
  /** Adversarial inputs x' [N, ...inputShape], inside the box. */
  readonly adversarial: tf.Tensor;
  /** Perturbations r = x' − x. */
  readonly perturbation: tf.Tensor;
  /** Per-sample outcome and metrics. */
  readonly samples: readonly SampleResult[];
  /** Fraction of samples with success. */
  readonly successRate: number;
  /** Frees `adversarial` and `perturbation`. */
  dispose(): void;
}

function parseOptions<S extends z.ZodType>(attack: Attack<S>, options: unknown): z.output<S> {
  const parsed = attack.options.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
  throw new ArgumentError(`${attack.name} options`, issues.join('; '));
}

function contextFor(
  attack: Attack,
  request: AttackRequest,
  start: readonly LabelVector[],
): AttackContext {
  const { model, inputs, targets, signal, onProgress, seed = 0 } = request;
  return {
    model,
    inputs,
    targets,
    target: targetTensors(targets),
    start,
    seed,
    checkpoint(iteration, total, active) {
      if (signal?.aborted) throw new AttackAbortedError(attack.name, iteration, signal.reason);
      onProgress?.({ attack: attack.name, iteration, total, active });
    },
  };
}

async function measure(model: MultiLabelModel, x: tf.Tensor, adversarial: tf.Tensor) {
  const r = tf.sub(adversarial, x);
  const rows = tf.tidy(() => [l2Norm(r), linfNorm(r), relativeL2(r, x), rmsd(r, model.box)]);
  const [l2, linf, rel, dev] = await Promise.all(rows.map((t) => t.array() as Promise<number[]>));
  tf.dispose(rows);
  return { perturbation: r, l2: l2 ?? [], linf: linf ?? [], rel: rel ?? [], dev: dev ?? [] };
}

/** Runs the attack's criterion (if any) on the returned inputs: one flag per sample. */
async function criterionFlags<S extends z.ZodType>(
  attack: Attack<S>,
  context: AttackContext,
  adversarial: tf.Tensor,
  options: z.output<S>,
): Promise<boolean[] | undefined> {
  const { criterion } = attack;
  if (criterion === undefined) return undefined;
  const flags = tf.tidy(() => criterion(context, context.model.logits(adversarial), options));
  const values = Array.from(await flags.data(), Boolean);
  flags.dispose();
  return values;
}

async function verify<S extends z.ZodType>(
  attack: Attack<S>,
  context: AttackContext,
  options: z.output<S>,
  output: AttackOutput,
): Promise<AttackResult> {
  const { model, inputs, targets, start } = context;
  // The attack's own bookkeeping is never trusted: clip, then ask the model again (spec §1).
  const adversarial = clipToBox(output.adversarial, model.box);
  output.adversarial.dispose();
  const predicted = await predictLabels(model, adversarial);
  const flags = await criterionFlags(attack, context, adversarial, options);
  const m = await measure(model, inputs, adversarial);
  const samples = targets.map((target, i): SampleResult => {
    const labels = predicted[i] ?? [];
    const wrongLabels = mismatches(target, labels);
    const details = output.details?.[i];
    return {
      index: i,
      success: flags?.[i] ?? wrongLabels.length === 0,
      l2: m.l2[i] ?? 0,
      linf: m.linf[i] ?? 0,
      relativeL2: m.rel[i] ?? 0,
      rmsd: m.dev[i] ?? 0,
      iterations: output.iterations[i] ?? 0,
      gradientEvaluations: output.gradientEvaluations[i] ?? 0,
      start: start[i] ?? [],
      target,
      predicted: labels,
      wrongLabels,
      ...(details === undefined ? {} : { details }),
    };
  });
  const successRate =
    samples.length === 0 ? 0 : samples.filter((s) => s.success).length / samples.length;
  return {
    attack: attack.name,
    adversarial,
    perturbation: m.perturbation,
    samples,
    successRate,
    dispose: () => tf.dispose([adversarial, m.perturbation]),
  };
}

/**
 * Runs an attack on a batch, the one way every attack in mlap is run: validates the inputs
 * against the model contract, the targets and the options; checks that gradients are available;
 * runs the attack; clips its output to the box; re-checks success by running the model on the
 * returned inputs; and measures every sample.
 *
 * @example
 * const result = await runAttack(mlDeepFool, { model, inputs, targets, seed: 1 }, { overshoot: 0.02 });
 * console.log(result.successRate, result.samples[0]?.l2);
 * result.dispose();
 */
export async function runAttack<S extends z.ZodType>(
  attack: Attack<S>,
  request: AttackRequest,
  options?: z.input<S>,
): Promise<AttackResult> {
  const { model, inputs, targets } = request;
  validateInputs(model, inputs);
  const n = inputs.shape[0] ?? 0;
  validateTargets(targets, n, model.numLabels);
  const parsed = parseOptions(attack, options);
  if (attack.requires.gradients) assertGradientsAvailable();
  const start = request.start ?? (await predictLabels(model, inputs));
  if (start.length !== n)
    throw new ArgumentError('start', `needs ${n} label vectors; got ${start.length}`);
  const context = contextFor(attack, request, start);
  try {
    const output = await attack.run(context, parsed);
    return await verify(attack, context, parsed, output);
  } finally {
    tf.dispose([context.target.sign, context.target.care, context.target.present]);
  }
}
