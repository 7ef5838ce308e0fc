import type { AttackRun, SampleOutcome } from './attack-reference.js';

/** The summary of one attack run that the table shows. */
export interface RunSummary {
  readonly inputs: number;
  readonly seconds: number;
  /** Successful samples, in percent. */
  readonly successRate: number;
  /** Median L2 over the successful samples (NaN when none succeeded). */
  readonly medianL2: number;
  readonly meanIterations: number;
}

/** Median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Summarises one run. */
export function summarise(run: AttackRun): RunSummary {
  const n = run.samples.length;
  const won = run.samples.filter((s) => s.success);
  return {
    inputs: n,
    seconds: run.ms / 1000,
    successRate: n === 0 ? 0 : (100 * won.length) / n,
    medianL2: median(won.map((s) => s.l2)),
    meanIterations: n === 0 ? 0 : run.samples.reduce((a, s) => a + s.iterations, 0) / n,
  };
}

/** How closely two runs on the same samples agree, sample by sample. */
export interface Agreement {
  /** Samples with the same success outcome, in percent. */
  readonly sameOutcome: number;
  /** Median of L2(a)/L2(b) over the samples both runs attacked successfully. */
  readonly medianL2Ratio: number;
}

/** Compares `a` with the reference `b` on their common first samples. */
export function agreement(a: readonly SampleOutcome[], b: readonly SampleOutcome[]): Agreement {
  const n = Math.min(a.length, b.length);
  let same = 0;
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) continue;
    if (x.success === y.success) same++;
    if (x.success && y.success && y.l2 > 0) ratios.push(x.l2 / y.l2);
  }
  return { sameOutcome: n === 0 ? 0 : (100 * same) / n, medianL2Ratio: median(ratios) };
}
