/**
 * Sample-by-sample comparison of an mlap run with the PyTorch reference on the same job: summaries,
 * ratios, the share of samples whose success agrees, and flags for every difference beyond
 * {@link SUCCESS_TOLERANCE} points of success rate or {@link L2_TOLERANCE} of median L2, with the
 * samples involved.
 */
import type { AttackRun } from './attack-reference.js';
import { agreement, summarise } from './attack-stats.js';

/** Largest success-rate difference, in points, that is not flagged. */
export const SUCCESS_TOLERANCE = 3;
/** Largest relative median-L2 difference that is not flagged (and per-sample L2 one listed). */
export const L2_TOLERANCE = 0.1;
/**
 * L2 differences below this are not listed per sample: a ranking target the clean input already
 * meets gives L2 ≈ 1e-7 (the tanh box's 0.999999 round trip), whose ratio is noise.
 */
export const L2_FLOOR = 1e-4;

/** One sample's outcome, named by its index in the test split. */
export interface Outcome {
  readonly index: number;
  readonly success: boolean;
  readonly l2: number;
  readonly iterations: number;
}

/** One engine's run of one job. NaN values are written as null. */
export interface EngineResult {
  readonly samples: number;
  readonly seconds: number;
  /** Percent of attacked samples that succeeded. */
  readonly successRate: number;
  /** Median L2 over the successful samples. */
  readonly medianL2: number;
  readonly meanIterations: number;
  readonly outcomes: readonly Outcome[];
}

/** A sample where the engines disagree: different success, or L2 off by more than the tolerance. */
export interface Disagreement {
  readonly index: number;
  readonly why: 'success' | 'l2';
  readonly mlap: { readonly success: boolean; readonly l2: number };
  readonly reference: { readonly success: boolean; readonly l2: number };
}

/** mlap on one backend against the reference run on the same samples. */
export interface Comparison {
  readonly engine: 'mlapWasm' | 'mlapCpu';
  readonly reference: 'reference' | 'referenceCpuSubset';
  readonly samples: number;
  /** mlap − reference success rate, in points. */
  readonly successDelta: number;
  /** mlap median L2 ÷ reference median L2. */
  readonly medianL2Ratio: number;
  /** mlap time ÷ reference time. */
  readonly timeRatio: number;
  /** Percent of samples whose success agrees. */
  readonly sameOutcome: number;
  /** Median per-sample L2 ratio over samples both attacked successfully. */
  readonly perSampleL2Ratio: number;
  readonly flagged: boolean;
  /** What exceeded a tolerance, in words. */
  readonly flags: readonly string[];
  readonly disagreements: readonly Disagreement[];
}

/** A run's summary and outcomes, rows named by their test-split indices. */
export function engineResult(run: AttackRun, indices: readonly number[]): EngineResult {
  const s = summarise(run);
  return {
    samples: s.inputs,
    seconds: s.seconds,
    successRate: s.successRate,
    medianL2: s.medianL2,
    meanIterations: s.meanIterations,
    outcomes: run.samples.map((o, i) => ({ index: indices[i] ?? -1, ...o })),
  };
}

function disagreements(mlap: EngineResult, reference: EngineResult): Disagreement[] {
  return mlap.outcomes.flatMap((a, i): Disagreement[] => {
    const b = reference.outcomes[i];
    if (b === undefined) return [];
    const offL2 =
      a.success &&
      b.success &&
      Math.abs(a.l2 - b.l2) > L2_FLOOR &&
      Math.abs(a.l2 / b.l2 - 1) > L2_TOLERANCE;
    if (a.success === b.success && !offL2) return [];
    return [
      {
        index: a.index,
        why: a.success === b.success ? 'l2' : 'success',
        mlap: { success: a.success, l2: a.l2 },
        reference: { success: b.success, l2: b.l2 },
      },
    ];
  });
}

/** Compares `mlap` with `reference` (same samples, same order). */
export function compareRuns(
  engine: Comparison['engine'],
  referenceName: Comparison['reference'],
  mlap: EngineResult,
  reference: EngineResult,
): Comparison {
  const successDelta = mlap.successRate - reference.successRate;
  const medianL2Ratio = mlap.medianL2 / reference.medianL2;
  const flags: string[] = [];
  if (Math.abs(successDelta) > SUCCESS_TOLERANCE)
    flags.push(`success differs by ${successDelta.toFixed(1)} points`);
  if (Number.isFinite(medianL2Ratio) && Math.abs(medianL2Ratio - 1) > L2_TOLERANCE)
    flags.push(`median L2 ratio ${medianL2Ratio.toFixed(3)}`);
  if (
    Number.isNaN(medianL2Ratio) &&
    Number.isFinite(mlap.medianL2) !== Number.isFinite(reference.medianL2)
  )
    flags.push('only one engine has a successful sample');
  const a = agreement(mlap.outcomes, reference.outcomes);
  return {
    engine,
    reference: referenceName,
    samples: mlap.samples,
    successDelta,
    medianL2Ratio,
    timeRatio: mlap.seconds / reference.seconds,
    sameOutcome: a.sameOutcome,
    perSampleL2Ratio: a.medianL2Ratio,
    flagged: flags.length > 0,
    flags,
    disagreements: disagreements(mlap, reference),
  };
}
