import { ArgumentError, Rng } from '@mlap/tensor';
import { median, percentileOfSorted } from '../attack/distribution.js';

/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Seed of the resampling stream (an `Rng` from `@mlap/tensor`; never `Math.random`). */
  readonly seed: number;
  /** Number of bootstrap resamples (default 1000). */
  readonly resamples?: number;
  /** Confidence level in (0, 1) (default 0.95). */
  readonly confidence?: number;
}

/** A point estimate with its bootstrap confidence interval. */
export interface Interval {
  /** The statistic on the data itself. */
  readonly estimate: number;
  /** Lower bound (the (1 − confidence)/2 percentile of the resampled statistics). */
  readonly low: number;
  /** Upper bound (the (1 + confidence)/2 percentile). */
  readonly high: number;
}

/**
 * A seeded percentile-bootstrap confidence interval of `statistic` over `values`: `resamples`
 * resamples of the same size drawn with replacement from `Rng.seeded(seed)`, and the percentiles
 * (linear interpolation) of the resampled statistics. The same seed gives the same interval on
 * every platform. All NaN for an empty list.
 *
 * @throws ArgumentError for a bad resample count or confidence level
 */
export function bootstrapInterval(
  values: readonly number[],
  statistic: (sample: readonly number[]) => number,
  options: BootstrapOptions,
): Interval {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new ArgumentError('resamples', `must be a positive integer; got ${resamples}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new ArgumentError('confidence', `must be in (0, 1); got ${confidence}`);
  }
  const n = values.length;
  if (n === 0) return { estimate: Number.NaN, low: Number.NaN, high: Number.NaN };
  const rng = Rng.seeded(options.seed);
  const stats = new Array<number>(resamples);
  const draw = new Array<number>(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) draw[i] = values[rng.int(0, n - 1)] ?? Number.NaN;
    stats[b] = statistic(draw);
  }
  stats.sort((a, b) => a - b);
  const tail = ((1 - confidence) / 2) * 100;
  return {
    estimate: statistic(values),
    low: percentileOfSorted(stats, tail),
    high: percentileOfSorted(stats, 100 - tail),
  };
}

/** Mean of a list (NaN when empty). */
export function meanOf(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Bootstrap interval of a rate: `values` are 0/1 (or booleans as numbers). */
export function rateInterval(values: readonly number[], options: BootstrapOptions): Interval {
  return bootstrapInterval(values, meanOf, options);
}

/** Bootstrap interval of a median. */
export function medianInterval(values: readonly number[], options: BootstrapOptions): Interval {
  return bootstrapInterval(values, median, options);
}
