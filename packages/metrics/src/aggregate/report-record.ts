import { ArgumentError } from '@mlap/tensor';
import { type AttackSample, attackMetrics } from '../attack/attack-metrics.js';
import { collateralLabels } from '../attack/sample-metrics.js';
import { type Interval, medianInterval, rateInterval } from './bootstrap.js';

/** One attack run to report: what was attacked, how, and its per-sample results. */
export interface AttackRun {
  /** The data set's name. */
  readonly dataset: string;
  /** The model's name. */
  readonly model: string;
  /** The attack's name, e.g. `ml-cw`. */
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
  /** The data set's name. */
  readonly dataset: string;
  /** The model's name. */
  readonly model: string;
  /** The attack's name. */
  readonly attack: string;
  /** The target strategy's name. */
  readonly strategy: string;
  /** Samples attacked. */
  readonly samples: number;
  /** Samples that reached their target. */
  readonly successes: number;
  /** Fraction of samples that reached their target. */
  readonly successRate: number;
  /** Lower bound of the success rate's bootstrap interval. */
  readonly successRateLow: number;
  /** Upper bound of the success rate's bootstrap interval. */
  readonly successRateHigh: number;
  /** Fraction of samples with a label changed that the target did not ask to change. */
  readonly collateralRate: number;
  /** Lower bound of the collateral rate's bootstrap interval. */
  readonly collateralRateLow: number;
  /** Upper bound of the collateral rate's bootstrap interval. */
  readonly collateralRateHigh: number;
  /** Mean number of cared-for labels still off target, over all samples. */
  readonly meanHammingToTarget: number;
  /** Median L2 norm of the successful perturbations. */
  readonly medianL2: number;
  /** Lower bound of the median L2's bootstrap interval. */
  readonly medianL2Low: number;
  /** Upper bound of the median L2's bootstrap interval. */
  readonly medianL2High: number;
  /** Median L∞ norm of the successful perturbations. */
  readonly medianLinf: number;
  /** Lower bound of the median L∞'s bootstrap interval. */
  readonly medianLinfLow: number;
  /** Upper bound of the median L∞'s bootstrap interval. */
  readonly medianLinfHigh: number;
  /** Median ‖r‖₂ / ‖x‖₂ of the successful perturbations. */
  readonly medianRelativeL2: number;
  /** Lower bound of the median relative L2's bootstrap interval. */
  readonly medianRelativeL2Low: number;
  /** Upper bound of the median relative L2's bootstrap interval. */
  readonly medianRelativeL2High: number;
  /** Median root-mean-square deviation of the successful perturbations. */
  readonly medianRmsd: number;
  /** Lower bound of the median RMSD's bootstrap interval. */
  readonly medianRmsdLow: number;
  /** Upper bound of the median RMSD's bootstrap interval. */
  readonly medianRmsdHigh: number;
  /** Mean L2 norm of the successful perturbations. */
  readonly meanL2: number;
  /** Mean iterations per sample. */
  readonly meanIterations: number;
  /** Mean gradient evaluations per sample. */
  readonly meanGradientEvaluations: number;
  /** Median gradient evaluations per sample, over all samples. */
  readonly medianGradientEvaluations: number;
  /** Lower bound of the median gradient evaluations' bootstrap interval. */
  readonly medianGradientEvaluationsLow: number;
  /** Upper bound of the median gradient evaluations' bootstrap interval. */
  readonly medianGradientEvaluationsHigh: number;
  /** NaN when the run gave no `seconds`. */
  readonly secondsPerSample: number;
  /** Confidence level of every interval. */
  readonly confidence: number;
  /** Bootstrap resamples behind every interval. */
  readonly resamples: number;
  /** The base seed the intervals were drawn with. */
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
