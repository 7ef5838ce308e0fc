import type * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import type { MultiLabelModel } from '../model/multi-label-model.js';
import type { LabelVector, TargetTensors, TargetVector } from '../targets/target.js';

/** Progress of a running attack, reported once per iteration. */
export interface AttackProgress {
  /** The attack's name. */
  readonly attack: string;
  /** Iterations done so far (across binary-search steps, where the attack has them). */
  readonly iteration: number;
  /** Iterations at most, when known. */
  readonly total: number;
  /** Samples still being worked on. */
  readonly active: number;
}

/** What the driver hands an attack: validated inputs and targets, in tensor and array form. */
export interface AttackContext {
  /** The victim. */
  readonly model: MultiLabelModel;
  /** Clean inputs [N, ...inputShape], validated against the model's contract. */
  readonly inputs: tf.Tensor;
  /** One validated target per sample. */
  readonly targets: readonly TargetVector[];
  /** The same targets as tensors. */
  readonly target: TargetTensors;
  /** Labels each sample starts from (the clean prediction unless given). */
  readonly start: readonly LabelVector[];
  /** Seed for every random choice of the attack. */
  readonly seed: number;
  /**
   * Call once per iteration: reports progress and throws an AttackAbortedError when the caller's
   * AbortSignal has fired, so an abort stops the attack within one iteration.
   */
  checkpoint(iteration: number, total: number, active: number): void;
}

/** What an attack returns to the driver, which clips, verifies and measures it. */
export interface AttackOutput {
  /** Adversarial inputs [N, ...inputShape] (the driver takes ownership). */
  readonly adversarial: tf.Tensor;
  /** Optimisation iterations per sample. */
  readonly iterations: readonly number[];
  /** Gradient evaluations per sample (one per label and step for Jacobian-based attacks). */
  readonly gradientEvaluations: readonly number[];
  /** Attack-specific diagnostics per sample (e.g. labels with a zero gradient). */
  readonly details?: readonly (Readonly<Record<string, unknown>> | undefined)[];
}

/**
 * An attack: a name, what it needs, one options schema (runtime check, TypeScript type and
 * defaults from one definition) and a `run` that writes only the algorithm. Validation,
 * clipping, the success check and the metrics live in the driver ({@link runAttack}).
 */
export interface Attack<S extends z.ZodType = z.ZodType> {
  /** Short name used in reports, e.g. `ml-cw`. */
  readonly name: string;
  /** Whether the attack differentiates the model (checked before it runs). */
  readonly requires: {
    /** Whether the attack differentiates the model (a gradient-free attack needs none). */
    readonly gradients: boolean;
  };
  /** Options schema with the spec's defaults. */
  readonly options: S;
  /** The algorithm. */
  run(context: AttackContext, options: z.output<S>): Promise<AttackOutput>;
  /**
   * The success criterion the driver verifies the returned inputs with, from their logits (bool
   * [N]). Default: the classification success of spec §1. Ranking attacks judge the ranking.
   */
  readonly criterion?: (
    context: AttackContext,
    logits: tf.Tensor2D,
    options: z.output<S>,
  ) => tf.Tensor1D;
}

/** Identity helper that infers an attack's option types from its schema. */
export function defineAttack<S extends z.ZodType>(attack: Attack<S>): Attack<S> {
  return attack;
}
