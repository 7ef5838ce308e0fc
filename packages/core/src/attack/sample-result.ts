import type { LabelVector, TargetVector } from '../targets/target.js';

/** The verified outcome of an attack on one sample. */
export interface SampleResult {
  /** Position of the sample in the batch. */
  readonly index: number;
  /**
   * The attack's goal holds on the returned input, re-checked by running the model: every cared-for
   * label decided as the target says (spec §1), or the ranking goal for ranking attacks.
   */
  readonly success: boolean;
  /** ‖r‖₂ of the returned perturbation r = x' − x. */
  readonly l2: number;
  /** ‖r‖∞. */
  readonly linf: number;
  /** ‖r‖₂ / ‖x‖₂. */
  readonly relativeL2: number;
  /** ‖r‖₂ / √d on the 0–255 scale of the box. */
  readonly rmsd: number;
  /** Optimisation iterations spent on the sample. */
  readonly iterations: number;
  /** Gradient evaluations spent on the sample. */
  readonly gradientEvaluations: number;
  /** The labels the attack started from. */
  readonly start: LabelVector;
  /** The target. */
  readonly target: TargetVector;
  /** The labels the model predicts for the returned input. */
  readonly predicted: LabelVector;
  /** Cared-for labels still predicted differently from the target. */
  readonly wrongLabels: readonly number[];
  /** Attack-specific diagnostics. */
  readonly details?: Readonly<Record<string, unknown>>;
}
