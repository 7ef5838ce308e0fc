import type { LabelVector, SampleResult, TargetVector } from '@mlap/core';
import type { LogitPair } from './logit-pairs.js';

/** One line of `--out`: a sample, attacked or skipped. */
export interface ResultRow {
  /** The sample's position in the data. */
  readonly index: number;
  /** The sample's name: its image file, or its row number in a data file. */
  readonly name: string;
  /** Whether the sample was attacked (false: skipped, see `skipReason`). */
  readonly attacked: boolean;
  /** Why a skipped sample was not attacked; null when attacked. */
  readonly skipReason: string | null;
  /** Whether the returned input meets the target, re-checked on the model; null when skipped. */
  readonly success: boolean | null;
  /** L2 norm of the perturbation; null when skipped. */
  readonly l2: number | null;
  /** L∞ norm of the perturbation; null when skipped. */
  readonly linf: number | null;
  /** ‖r‖₂ / ‖x‖₂, the perturbation's L2 relative to the clean input's; null when skipped. */
  readonly relL2: number | null;
  /** ‖r‖₂ / √d on the 0–255 scale of the box; null when skipped. */
  readonly rmsd: number | null;
  /** Iterations the attack ran; null when skipped. */
  readonly iterations: number | null;
  /** Gradient evaluations the attack spent; null when skipped. */
  readonly gradientEvaluations: number | null;
  /** Clean prediction, 0 or 1 per label. */
  readonly start: LabelVector;
  /** The target: 1 present, 0 absent, null don't care per label; null when skipped. */
  readonly target: TargetVector | null;
  /** Prediction on the returned input (the clean one when skipped). */
  readonly predicted: LabelVector;
  /** Clean logits of an attacked sample (absent in logs written before they were recorded). */
  readonly logits?: readonly number[];
  /** Logits of the returned adversarial input. */
  readonly adversarialLogits?: readonly number[];
  /** Per-label thresholds τ_j, written only when some τ_j ≠ 0.5 (readers assume 0.5 otherwise). */
  readonly thresholds?: readonly number[];
  /** The model's label names, when it has them. */
  readonly labelNames?: readonly string[];
}

/** One row of an `mlap eval` log: a {@link ResultRow} and the job (attack × strategy) it belongs to. */
export type EvalLogRow = ResultRow & {
  /** `attack/strategy`, e.g. `ml-cw/hide-single`. */
  readonly job: string;
  /** The attack's CLI name. */
  readonly attack: string;
  /** The target strategy's CLI name. */
  readonly strategy: string;
};

/** What an attacked row may carry beside its verified result. */
export interface RowExtras {
  readonly scores?: LogitPair | undefined;
  readonly thresholds?: readonly number[] | undefined;
  readonly labelNames?: readonly string[] | undefined;
}

/** The row of a sample that was not attacked. */
export function skippedRow(
  index: number,
  name: string,
  start: LabelVector,
  reason: string,
): ResultRow {
  return {
    index,
    name,
    attacked: false,
    skipReason: reason,
    success: null,
    l2: null,
    linf: null,
    relL2: null,
    rmsd: null,
    iterations: null,
    gradientEvaluations: null,
    start,
    target: null,
    predicted: start,
  };
}

/**
 * The row of an attacked sample, from its verified result, with its clean and adversarial logits,
 * label names and the model's thresholds (only when they are not all 0.5) when given.
 */
export function attackedRow(
  index: number,
  name: string,
  s: SampleResult,
  { scores, thresholds, labelNames }: RowExtras = {},
): ResultRow {
  const custom = thresholds?.some((t) => t !== 0.5) === true;
  return {
    index,
    name,
    attacked: true,
    skipReason: null,
    success: s.success,
    l2: s.l2,
    linf: s.linf,
    relL2: s.relativeL2,
    rmsd: s.rmsd,
    iterations: s.iterations,
    gradientEvaluations: s.gradientEvaluations,
    start: s.start,
    target: s.target,
    predicted: s.predicted,
    ...scores,
    ...(custom ? { thresholds } : {}),
    ...(labelNames === undefined ? {} : { labelNames }),
  };
}

/** The `--json` summary of a run. */
export interface RunSummary {
  readonly attack: string;
  readonly target: string;
  readonly backend: string;
  readonly attacked: number;
  readonly skipped: number;
  readonly successRate: number;
  /** Mean and median ‖r‖₂ over successful samples (null when none succeeded). */
  readonly meanL2: number | null;
  readonly medianL2: number | null;
  readonly seconds: number;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Summarises the rows of a run. */
export function summarise(
  rows: readonly ResultRow[],
  meta: Pick<RunSummary, 'attack' | 'target' | 'backend' | 'seconds'>,
): RunSummary {
  const attacked = rows.filter((r) => r.attacked);
  const wins = attacked.filter((r) => r.success === true).map((r) => r.l2 ?? 0);
  return {
    ...meta,
    attacked: attacked.length,
    skipped: rows.length - attacked.length,
    successRate: attacked.length === 0 ? 0 : wins.length / attacked.length,
    meanL2: wins.length === 0 ? null : wins.reduce((a, b) => a + b, 0) / wins.length,
    medianL2: median(wins),
  };
}
