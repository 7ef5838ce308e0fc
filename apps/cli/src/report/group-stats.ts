import type { ResultRow } from '../attack/results.js';

/** The rows of one job (attack × target strategy) and their summary. */
export interface GroupStats {
  readonly name: string;
  readonly attacked: number;
  readonly skipped: number;
  readonly successRate: number;
  readonly meanL2: number | undefined;
  readonly medianL2: number | undefined;
  readonly medianLinf: number | undefined;
  readonly meanIterations: number | undefined;
  /** L2 of every successful sample, sorted. */
  readonly successL2: readonly number[];
}

/** A log row: a sample's result, with the job it belongs to when it comes from `mlap eval`. */
export type LogRow = ResultRow & {
  readonly job?: string;
  readonly attack?: string;
  readonly strategy?: string;
};

const mean = (xs: readonly number[]) =>
  xs.length === 0 ? undefined : xs.reduce((a, b) => a + b, 0) / xs.length;

/** Median of sorted values (undefined when empty). */
export function medianOf(sorted: readonly number[]): number | undefined {
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Groups rows by job (or by `fallback` for `mlap attack` logs) and summarises each group. */
export function groupStats(rows: readonly LogRow[], fallback: string): GroupStats[] {
  const groups = new Map<string, LogRow[]>();
  for (const r of rows) {
    const key = r.job ?? fallback;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()].map(([name, rs]) => {
    const attacked = rs.filter((r) => r.attacked);
    const wins = attacked.filter((r) => r.success === true);
    const successL2 = wins.map((r) => r.l2 ?? 0).sort((a, b) => a - b);
    return {
      name,
      attacked: attacked.length,
      skipped: rs.length - attacked.length,
      successRate: attacked.length === 0 ? 0 : wins.length / attacked.length,
      meanL2: mean(successL2),
      medianL2: medianOf(successL2),
      medianLinf: medianOf(wins.map((r) => r.linf ?? 0).sort((a, b) => a - b)),
      meanIterations: mean(attacked.map((r) => r.iterations ?? 0)),
      successL2,
    };
  });
}
