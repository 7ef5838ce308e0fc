import { ArgumentError } from '@mlap/tensor';
import { type AttackSample, attackMetrics } from '../attack/attack-metrics.js';
import { collateralLabels } from '../attack/sample-metrics.js';
import { type Interval, medianInterval, rateInterval } from './bootstrap.js';

/** One attack run to report: what was attacked, how, and its per-sample results. */
export interface AttackRun {
  readonly dataset: string;
  readonly model: string;
  readonly attack: string;
  /** The target strategy's name, e.g. `random`, `hideSingle`. */
  readonly strategy: string;
  /** The run's `SampleResult`s. */
  readonly samples: readonly AttackSample[];
  /** Wall-clock seconds of the whole run. */
  readonly seconds?: number;
}

/** Options of {@link reportRecord}. */
export interface ReportOptions {
  /** Base seed; each record's stream is derived from it and the record's four keys. */
  readonly seed: number;
  /** Bootstrap resamples (default 1000). */
  readonly resamples?: number;
  /** Confidence level (default 0.95). */
  readonly confidence?: number;
}

/**
 * A tidy report row: one per (dataset, model, attack, strategy), flat columns only, every rate
 * and median with its bootstrap interval (`…Low`, `…High`). Medians of norms cover the
 * successful samples (NaN when none succeeded).
 */
export interface ReportRecord {
  readonly dataset: string;
  readonly model: string;
  readonly attack: string;
  readonly strategy: string;
  readonly samples: number;
  readonly successes: number;
  readonly successRate: number;
  readonly successRateLow: number;
  readonly successRateHigh: number;
  readonly collateralRate: number;
  readonly collateralRateLow: number;
  readonly collateralRateHigh: number;
  readonly meanHammingToTarget: number;
  readonly medianL2: number;
  readonly medianL2Low: number;
  readonly medianL2High: number;
  readonly medianLinf: number;
  readonly medianLinfLow: number;
  readonly medianLinfHigh: number;
  readonly medianRelativeL2: number;
  readonly medianRelativeL2Low: number;
  readonly medianRelativeL2High: number;
  readonly medianRmsd: number;
  readonly medianRmsdLow: number;
  readonly medianRmsdHigh: number;
  readonly meanL2: number;
  readonly meanIterations: number;
  readonly meanGradientEvaluations: number;
  readonly medianGradientEvaluations: number;
  readonly medianGradientEvaluationsLow: number;
  readonly medianGradientEvaluationsHigh: number;
  /** NaN when the run gave no `seconds`. */
  readonly secondsPerSample: number;
  readonly confidence: number;
  readonly resamples: number;
  readonly seed: number;
}

/** FNV-1a hash of a string to a non-negative 32-bit integer. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The tidy {@link ReportRecord} of one run, with seeded percentile-bootstrap intervals. Each
 * statistic gets its own seed derived from `options.seed`, the record's four keys and the
 * statistic's name, so a record does not depend on which other runs are reported or in which
 * order.
 *
 * @throws ArgumentError for bad options or inconsistent samples
 */
export function reportRecord(run: AttackRun, options: ReportOptions): ReportRecord {
  if (!Number.isSafeInteger(options.seed)) {
    throw new ArgumentError('seed', `must be a safe integer; got ${options.seed}`);
  }
  const m = attackMetrics(run.samples, run.seconds === undefined ? {} : { seconds: run.seconds });
  const key = [run.dataset, run.model, run.attack, run.strategy].join('\u0000');
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const settings = (name: string) => ({
    seed: (hash(`${key}\u0000${name}`) ^ (options.seed | 0)) + Math.floor(options.seed / 2 ** 32),
    resamples,
    confidence,
  });
  const successful = run.samples.filter((s) => s.success);
  const med = (name: string, values: number[]): Interval => medianInterval(values, settings(name));
  const success = rateInterval(
    run.samples.map((s) => (s.success ? 1 : 0)),
    settings('successRate'),
  );
  const collateral = rateInterval(
    run.samples.map((s) => (collateralLabels(s).length > 0 ? 1 : 0)),
    settings('collateralRate'),
  );
  const l2 = med(
    'medianL2',
    successful.map((s) => s.l2),
  );
  const linf = med(
    'medianLinf',
    successful.map((s) => s.linf),
  );
  const relative = med(
    'medianRelativeL2',
    successful.map((s) => s.relativeL2),
  );
  const rmsd = med(
    'medianRmsd',
    successful.map((s) => s.rmsd),
  );
  const gradients = med(
    'medianGradientEvaluations',
    run.samples.map((s) => s.gradientEvaluations),
  );
  return {
    dataset: run.dataset,
    model: run.model,
    attack: run.attack,
    strategy: run.strategy,
    samples: m.samples,
    successes: m.successes,
    successRate: success.estimate,
    successRateLow: success.low,
    successRateHigh: success.high,
    collateralRate: collateral.estimate,
    collateralRateLow: collateral.low,
    collateralRateHigh: collateral.high,
    meanHammingToTarget: m.hammingToTarget.mean,
    medianL2: l2.estimate,
    medianL2Low: l2.low,
    medianL2High: l2.high,
    medianLinf: linf.estimate,
    medianLinfLow: linf.low,
    medianLinfHigh: linf.high,
    medianRelativeL2: relative.estimate,
    medianRelativeL2Low: relative.low,
    medianRelativeL2High: relative.high,
    medianRmsd: rmsd.estimate,
    medianRmsdLow: rmsd.low,
    medianRmsdHigh: rmsd.high,
    meanL2: m.l2.mean,
    meanIterations: m.iterations.mean,
    meanGradientEvaluations: m.gradientEvaluations.mean,
    medianGradientEvaluations: gradients.estimate,
    medianGradientEvaluationsLow: gradients.low,
    medianGradientEvaluationsHigh: gradients.high,
    secondsPerSample: m.secondsPerSample ?? Number.NaN,
    confidence,
    resamples,
    seed: options.seed,
  };
}

/** One {@link reportRecord} per run, in order. */
export function reportRecords(runs: readonly AttackRun[], options: ReportOptions): ReportRecord[] {
  return runs.map((run) => reportRecord(run, options));
}
