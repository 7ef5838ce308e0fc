import type { SampleResult } from '@mlap/core';
import { ArgumentError } from '@mlap/tensor';
import { type Distribution, describe } from './distribution.js';
import {
  checkOutcome,
  collateralLabels,
  flippedLabels,
  hammingToTarget,
  requestedLabels,
} from './sample-metrics.js';

/** The fields of a {@link SampleResult} the attack metrics read. */
export type AttackSample = Pick<
  SampleResult,
  | 'success'
  | 'l2'
  | 'linf'
  | 'relativeL2'
  | 'rmsd'
  | 'iterations'
  | 'gradientEvaluations'
  | 'start'
  | 'target'
  | 'predicted'
>;

/** Options of {@link attackMetrics}. */
export interface AttackMetricsOptions {
  /** Wall-clock seconds the attack spent on all the samples (for `secondsPerSample`). */
  readonly seconds?: number;
  /**
   * Which samples the norm distributions cover: `success` (default, the usual convention: the
   * perturbation that reached the target) or `all`.
   */
  readonly normsOver?: 'success' | 'all';
}

/** Collateral damage: labels changed that the target did not ask to change. */
export interface Collateral {
  /** Mean number of collateral labels per sample. */
  readonly meanLabels: number;
  /** Fraction of samples with at least one collateral label. */
  readonly sampleRate: number;
  /** Collateral labels over all labels the target did not ask to change. */
  readonly labelRate: number;
}

/** Metrics of one attack run over its samples. Rates are NaN for an empty run. */
export interface AttackMetrics {
  /** Samples in the run. */
  readonly samples: number;
  /** Samples that reached their target. */
  readonly successes: number;
  /** Fraction of samples that reached the target exactly on every cared-for label. */
  readonly successRate: number;
  /** Per label: fraction of samples whose prediction changed from the start label. */
  readonly flipRate: readonly number[];
  /**
   * Per label: among the samples whose target asks to change the label, the fraction predicted
   * as the target asks; null where no target asks.
   */
  readonly requestedFlipRate: readonly (number | null)[];
  /** Cared-for labels still off target, per sample. */
  readonly hammingToTarget: Distribution;
  /** L2 norms; this and the other norms cover the samples chosen by `normsOver`. */
  readonly l2: Distribution;
  /** L∞ norms. */
  readonly linf: Distribution;
  /** Relative L2 norms ‖r‖₂ / ‖x‖₂. */
  readonly relativeL2: Distribution;
  /** Root-mean-square deviations. */
  readonly rmsd: Distribution;
  /** Collateral damage over all samples. */
  readonly collateral: Collateral;
  /** Iterations per sample. */
  readonly iterations: Distribution;
  /** Gradient evaluations per sample. */
  readonly gradientEvaluations: Distribution;
  /** Gradient evaluations of the whole run. */
  readonly totalGradientEvaluations: number;
  /** `seconds / samples` when `seconds` was given. */
  readonly secondsPerSample: number | undefined;
}

/**
 * Success rate, per-label flip rates, Hamming distance to the target, L2 / L∞ / relative-L2 /
 * RMSD distributions (mean, median, percentiles), collateral damage, iterations, gradient
 * evaluations and time per sample of an attack run.
 *
 * @param samples - the run's `SampleResult`s (from `@mlap/core`'s `runAttack`)
 * @throws ArgumentError for samples whose label vectors differ in length, or bad `seconds`
 */
export function attackMetrics(
  samples: readonly AttackSample[],
  options: AttackMetricsOptions = {},
): AttackMetrics {
  const n = samples.length;
  const l = samples[0]?.start.length ?? 0;
  samples.forEach((s, i) => {
    if (checkOutcome(s, i) !== l) {
      throw new ArgumentError(`samples[${i}]`, `has ${s.start.length} labels; expected ${l}`);
    }
  });
  const seconds = options.seconds;
  if (seconds !== undefined && !(seconds >= 0 && Number.isFinite(seconds))) {
    throw new ArgumentError('seconds', `must be a finite number ≥ 0; got ${seconds}`);
  }
  const rate = (count: number, of: number) => (of === 0 ? Number.NaN : count / of);

  const flips = new Array<number>(l).fill(0);
  const requested = new Array<number>(l).fill(0);
  const achieved = new Array<number>(l).fill(0);
  let collateralTotal = 0;
  let collateralSamples = 0;
  let unrequestedTotal = 0;
  for (const s of samples) {
    for (const j of flippedLabels(s)) flips[j] = (flips[j] ?? 0) + 1;
    const asked = requestedLabels(s);
    for (const j of asked) {
      requested[j] = (requested[j] ?? 0) + 1;
      if (s.predicted[j] === s.target[j]) achieved[j] = (achieved[j] ?? 0) + 1;
    }
    const damage = collateralLabels(s).length;
    collateralTotal += damage;
    if (damage > 0) collateralSamples++;
    unrequestedTotal += l - asked.length;
  }
  const successes = samples.filter((s) => s.success).length;
  const normSamples = options.normsOver === 'all' ? samples : samples.filter((s) => s.success);
  return {
    samples: n,
    successes,
    successRate: rate(successes, n),
    flipRate: flips.map((f) => rate(f, n)),
    requestedFlipRate: requested.map((r, j) => (r === 0 ? null : (achieved[j] ?? 0) / r)),
    hammingToTarget: describe(samples.map(hammingToTarget)),
    l2: describe(normSamples.map((s) => s.l2)),
    linf: describe(normSamples.map((s) => s.linf)),
    relativeL2: describe(normSamples.map((s) => s.relativeL2)),
    rmsd: describe(normSamples.map((s) => s.rmsd)),
    collateral: {
      meanLabels: rate(collateralTotal, n),
      sampleRate: rate(collateralSamples, n),
      labelRate: rate(collateralTotal, unrequestedTotal),
    },
    iterations: describe(samples.map((s) => s.iterations)),
    gradientEvaluations: describe(samples.map((s) => s.gradientEvaluations)),
    totalGradientEvaluations: samples.reduce((a, s) => a + s.gradientEvaluations, 0),
    secondsPerSample: seconds === undefined ? undefined : rate(seconds, n),
  };
}
