import type { TargetVector } from '@mlap/core';
import {
  type AttackSample,
  attackMetrics,
  kendallTau,
  reportRecord,
  topKHitRate,
} from '@mlap/metrics';
import * as tf from '@tensorflow/tfjs-core';
import type { LogRow, TimingRow } from './log-rows.js';

/** The paper's four methods, in table order; the last two are ranking attacks. */
export const METHODS = ['ml-deepfool', 'ml-cw', 'rank1', 'rank2'] as const;
const RANKING = new Set(['rank1', 'rank2']);
/** Strategies of spec §2 in table order; named add/remove strategies follow, sorted. */
const STRATEGY_ORDER = ['hide-single', 'random', 'extreme', 'hide-all'];

/** Whether an attack is one of the ranking framework (spec §5). */
export const isRanking = (attack: string) => RANKING.has(attack);

/** Everything the results page reports for one dataset × method × strategy. */
export interface CellStats {
  readonly dataset: string;
  readonly attack: string;
  readonly strategy: string;
  readonly attacked: number;
  readonly skipped: number;
  /** Why samples were skipped, most frequent first. */
  readonly skipReasons: readonly (readonly [string, number])[];
  readonly successes: number;
  /** NaN when nothing was attacked. */
  readonly successRate: number;
  /** 95% bootstrap interval of the success rate. */
  readonly successLow: number;
  readonly successHigh: number;
  /** Norms over successful samples (NaN when none succeeded). */
  readonly meanL2: number;
  readonly medianL2: number;
  readonly meanRelL2: number;
  readonly medianRelL2: number;
  readonly meanLinf: number;
  readonly meanRmsd: number;
  /** Mean ‖r‖∞ over every attacked sample, successful or not. */
  readonly meanLinfAll: number;
  readonly meanIterations: number;
  readonly meanGradientEvaluations: number;
  /** Attack seconds of the timed runs, and the samples they covered. */
  readonly seconds: number;
  readonly timedSamples: number;
  /** seconds / timedSamples (NaN when no run was timed). */
  readonly secondsPerSample: number;
  /** Ranking attacks: fraction whose target set is exactly the top |T| after the attack. */
  readonly topKHitRate: number | undefined;
  /** Ranking attacks: mean Kendall τ-b between the logit orders before and after. */
  readonly kendallTau: number | undefined;
  /** ‖r‖₂ of every successful sample, sorted (for plots). */
  readonly successL2: readonly number[];
}

/** A row of an attacked sample as the metrics of `@mlap/metrics` read it. */
export function toSample(row: LogRow): AttackSample {
  return {
    success: row.success === true,
    l2: row.l2 ?? Number.NaN,
    linf: row.linf ?? Number.NaN,
    relativeL2: row.relL2 ?? Number.NaN,
    rmsd: row.rmsd ?? Number.NaN,
    iterations: row.iterations ?? 0,
    gradientEvaluations: row.gradientEvaluations ?? 0,
    start: [...row.start],
    target: [...(row.target ?? row.start)] as TargetVector,
    predicted: [...row.predicted],
  };
}

/** Top-k hit rate and mean Kendall τ of ranking rows that carry logits (undefined otherwise). */
export function rankingMeasures(rows: readonly LogRow[]): { hit?: number; tau?: number } {
  const scored = rows.filter((r) => r.logits !== undefined && r.adversarialLogits !== undefined);
  if (scored.length === 0) return {};
  const before = tf.tensor2d(scored.map((r) => [...(r.logits ?? [])]));
  const after = tf.tensor2d(scored.map((r) => [...(r.adversarialLogits ?? [])]));
  try {
    const targets = scored.map((r) => (r.target ?? []).flatMap((v, j) => (v === 1 ? [j] : [])));
    const taus = kendallTau(before, after).filter((t) => Number.isFinite(t));
    const tau = taus.length === 0 ? Number.NaN : taus.reduce((a, b) => a + b, 0) / taus.length;
    return { hit: topKHitRate(after, targets), tau };
  } finally {
    tf.dispose([before, after]);
  }
}

function countReasons(rows: readonly LogRow[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const reason = r.skipReason ?? 'unknown';
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

/** The statistics of one dataset × method × strategy from its log rows and timing lines. */
export function cellStats(
  dataset: string,
  rows: readonly LogRow[],
  timing: readonly TimingRow[],
): CellStats {
  const first = rows[0];
  const attack = first?.attack ?? '';
  const strategy = first?.strategy ?? '';
  const attackedRows = rows.filter((r) => r.attacked);
  const samples = attackedRows.map(toSample);
  const won = attackMetrics(samples);
  const all = attackMetrics(samples, { normsOver: 'all' });
  const record = reportRecord({ dataset, model: dataset, attack, strategy, samples }, { seed: 0 });
  const timed = timing.filter((t) => t.dataset === dataset && t.job === `${attack}/${strategy}`);
  const seconds = timed.reduce((a, t) => a + t.seconds, 0);
  const timedSamples = timed.reduce((a, t) => a + t.samples, 0);
  const ranking = isRanking(attack) ? rankingMeasures(attackedRows) : {};
  return {
    dataset,
    attack,
    strategy,
    attacked: attackedRows.length,
    skipped: rows.length - attackedRows.length,
    skipReasons: countReasons(rows.filter((r) => !r.attacked)),
    successes: won.successes,
    successRate: won.successRate,
    successLow: record.successRateLow,
    successHigh: record.successRateHigh,
    meanL2: won.l2.mean,
    medianL2: won.l2.median,
    meanRelL2: won.relativeL2.mean,
    medianRelL2: won.relativeL2.median,
    meanLinf: won.linf.mean,
    meanRmsd: won.rmsd.mean,
    meanLinfAll: all.linf.mean,
    meanIterations: won.iterations.mean,
    meanGradientEvaluations: won.gradientEvaluations.mean,
    seconds,
    timedSamples,
    secondsPerSample: timedSamples === 0 ? Number.NaN : seconds / timedSamples,
    topKHitRate: isRanking(attack) ? (ranking.hit ?? Number.NaN) : undefined,
    kendallTau: isRanking(attack) ? (ranking.tau ?? Number.NaN) : undefined,
    successL2: samples
      .filter((s) => s.success)
      .map((s) => s.l2)
      .sort((a, b) => a - b),
  };
}

const rank = (order: readonly string[], value: string) => {
  const i = order.indexOf(value);
  return i < 0 ? order.length : i;
};

/** Orders cells by method (paper order), then strategy (spec §2 order, then named ones). */
export function compareCells(a: CellStats, b: CellStats): number {
  return (
    rank(METHODS, a.attack) - rank(METHODS, b.attack) ||
    rank(STRATEGY_ORDER, a.strategy) - rank(STRATEGY_ORDER, b.strategy) ||
    a.strategy.localeCompare(b.strategy)
  );
}

/** One {@link CellStats} per job of a dataset's log, in table order. */
export function datasetCells(
  dataset: string,
  rows: readonly LogRow[],
  timing: readonly TimingRow[],
): CellStats[] {
  const jobs = new Map<string, LogRow[]>();
  for (const r of rows) jobs.set(r.job, [...(jobs.get(r.job) ?? []), r]);
  return [...jobs.values()].map((rs) => cellStats(dataset, rs, timing)).sort(compareCells);
}
