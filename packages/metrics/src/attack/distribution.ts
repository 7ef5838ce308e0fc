import { ArgumentError } from '@mlap/tensor';

/** Summary of a list of numbers (NaN everywhere for an empty list). */
export interface Distribution {
  /** How many values. */
  readonly count: number;
  /** Arithmetic mean. */
  readonly mean: number;
  /** Sample standard deviation (n − 1 in the denominator; NaN below 2 values). */
  readonly std: number;
  /** Smallest value. */
  readonly min: number;
  /** 5th percentile. */
  readonly p5: number;
  /** 25th percentile. */
  readonly p25: number;
  /** Median (50th percentile). */
  readonly median: number;
  /** 75th percentile. */
  readonly p75: number;
  /** 95th percentile. */
  readonly p95: number;
  /** Largest value. */
  readonly max: number;
}

/**
 * The q-th percentile (q in [0, 100]) of values sorted ascending, with linear interpolation
 * between the two nearest ranks: numpy's default `percentile(…, method='linear')`. NaN for an
 * empty list.
 */
export function percentileOfSorted(sorted: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 100)) throw new ArgumentError('q', `must be in [0, 100]; got ${q}`);
  if (sorted.length === 0) return Number.NaN;
  const position = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[hi] ?? Number.NaN;
  return a + (b - a) * (position - lo);
}

/** The q-th percentile of `values` (any order); see {@link percentileOfSorted}. */
export function percentile(values: readonly number[], q: number): number {
  return percentileOfSorted(
    [...values].sort((a, b) => a - b),
    q,
  );
}

/** The median (numpy's `median`: the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/**
 * Count, mean, standard deviation, min, max, median and the 5th / 25th / 75th / 95th percentiles
 * (numpy's linear interpolation) of finite values.
 *
 * @throws ArgumentError when a value is not finite
 */
export function describe(values: readonly number[]): Distribution {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new ArgumentError('values', `value ${bad} is ${values[bad]}; expected finite`);
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = n === 0 ? Number.NaN : sorted.reduce((a, b) => a + b, 0) / n;
  const variance = n < 2 ? Number.NaN : sorted.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const at = (q: number) => percentileOfSorted(sorted, q);
  return {
    count: n,
    mean,
    std: Math.sqrt(variance),
    min: n === 0 ? Number.NaN : (sorted[0] ?? Number.NaN),
    p5: at(5),
    p25: at(25),
    median: at(50),
    p75: at(75),
    p95: at(95),
    max: n === 0 ? Number.NaN : (sorted[n - 1] ?? Number.NaN),
  };
}
