import { median } from '@mlap/metrics';
import type { CellStats } from './cell-stats.js';
import { fmt as f, pct } from './format.js';
import type { LogRow } from './log-rows.js';

/** "Far larger": the extreme target's median ‖r‖₂ at least this many times the easy targets'. */
export const FAR_LARGER = 2;
/** "Much faster": ML-CW's seconds per sample at least this many times ML-DeepFool's. */
export const MUCH_FASTER = 3;

/** Cells with fewer attacked samples (e.g. CenterNet's single photo) decide no claim. */
export const MIN_SAMPLES = 5;

/** One comparison behind a claim: where, whether the claim holds there, and the numbers. */
export interface Evidence {
  readonly where: string;
  readonly holds: boolean;
  readonly numbers: string;
}

/** A qualitative claim of spec §7 as measured: true when it holds in every comparison made. */
export interface Claim {
  readonly statement: string;
  /** How the claim is decided, in words. */
  readonly test: string;
  /** undefined when no comparison could be made (missing cells). */
  readonly verdict: boolean | undefined;
  readonly evidence: readonly Evidence[];
}

/** A dataset's cells and rows, as the claims read them. */
export interface DatasetResults {
  readonly dataset: string;
  readonly cells: readonly CellStats[];
  readonly rows: readonly LogRow[];
}

const finite = (...xs: number[]) => xs.every((x) => Number.isFinite(x));

function claim(statement: string, test: string, evidence: Evidence[]): Claim {
  const verdict = evidence.length === 0 ? undefined : evidence.every((e) => e.holds);
  return { statement, test, verdict, evidence };
}

const cellOf = (d: DatasetResults, attack: string, strategy: string) =>
  d.cells.find((c) => c.attack === attack && c.strategy === strategy && c.attacked >= MIN_SAMPLES);

/** Per dataset × method: the extreme cell beside the hide-single and random cells. */
function extremeTriples(results: readonly DatasetResults[]) {
  return results.flatMap((d) =>
    [...new Set(d.cells.map((c) => c.attack))].flatMap((attack) => {
      const [x, h, r] = ['extreme', 'hide-single', 'random'].map((s) => cellOf(d, attack, s));
      return x && h && r ? [{ where: `${d.dataset} · ${attack}`, x, h, r }] : [];
    }),
  );
}

/** Claim: `extreme` needs far larger perturbations than `hideSingle` / `random`. */
export function extremeLarger(results: readonly DatasetResults[]): Claim {
  const evidence = extremeTriples(results).flatMap(({ where, x, h, r }) => {
    if (!finite(x.medianL2, h.medianL2, r.medianL2)) return [];
    const ratio = x.medianL2 / Math.max(h.medianL2, r.medianL2);
    return [
      {
        where,
        holds: ratio >= FAR_LARGER,
        numbers: `median L2 extreme ${f(x.medianL2)}, hide-single ${f(h.medianL2)}, random ${f(r.medianL2)} (×${f(ratio, 2)})`,
      },
    ];
  });
  return claim(
    '`extreme` needs far larger perturbations than `hide-single` and `random`',
    `median ‖r‖₂ of successful samples under extreme ≥ ${FAR_LARGER}× the larger of the other two, per dataset × method`,
    evidence,
  );
}

/** Claim: `extreme` fails more often than `hideSingle` / `random`. */
export function extremeFailsMore(results: readonly DatasetResults[]): Claim {
  const evidence = extremeTriples(results).map(({ where, x, h, r }) => ({
    where,
    holds: x.successRate < Math.min(h.successRate, r.successRate),
    numbers: `success extreme ${pct(x.successRate)}, hide-single ${pct(h.successRate)}, random ${pct(r.successRate)}`,
  }));
  return claim(
    '`extreme` fails more often than `hide-single` and `random`',
    'success rate under extreme below both others, per dataset × method',
    evidence,
  );
}

/** Per dataset × strategy: the ML-DeepFool cell beside the ML-CW cell. */
function methodPairs(results: readonly DatasetResults[]) {
  return results.flatMap((d) =>
    [...new Set(d.cells.map((c) => c.strategy))].flatMap((strategy) => {
      const df = cellOf(d, 'ml-deepfool', strategy);
      const cw = cellOf(d, 'ml-cw', strategy);
      return df && cw ? [{ d, strategy, where: `${d.dataset} · ${strategy}`, df, cw }] : [];
    }),
  );
}

/** Claim: ML-DeepFool is much faster than ML-CW. */
export function deepFoolFaster(results: readonly DatasetResults[]): Claim {
  const evidence = methodPairs(results).flatMap(({ where, df, cw }) => {
    if (!finite(df.secondsPerSample, cw.secondsPerSample)) return [];
    const ratio = cw.secondsPerSample / df.secondsPerSample;
    return [
      {
        where,
        holds: ratio >= MUCH_FASTER,
        numbers: `s/sample ML-DeepFool ${f(df.secondsPerSample)}, ML-CW ${f(cw.secondsPerSample)} (×${f(ratio, 2)}); gradient evaluations ${f(df.meanGradientEvaluations)} vs ${f(cw.meanGradientEvaluations)}`,
      },
    ];
  });
  return claim(
    'ML-DeepFool is much faster than ML-CW',
    `ML-CW's wall time per sample ≥ ${MUCH_FASTER}× ML-DeepFool's, per dataset × strategy`,
    evidence,
  );
}

/** ‖r‖₂ of the samples both jobs attacked and both succeeded on, paired by sample index. */
export function pairedL2(
  rows: readonly LogRow[],
  jobA: string,
  jobB: string,
): { a: number[]; b: number[] } {
  const won = (job: string) =>
    new Map(
      rows.filter((r) => r.job === job && r.success === true).map((r) => [r.index, r.l2 ?? 0]),
    );
  const wa = won(jobA);
  const wb = won(jobB);
  const both = [...wa.keys()].filter((i) => wb.has(i));
  return { a: both.map((i) => wa.get(i) ?? 0), b: both.map((i) => wb.get(i) ?? 0) };
}

/** Claim: ML-CW finds smaller perturbations than ML-DeepFool. */
export function cwSmaller(results: readonly DatasetResults[]): Claim {
  const evidence = methodPairs(results).flatMap(({ d, strategy, where }) => {
    const { a: cw, b: df } = pairedL2(d.rows, `ml-cw/${strategy}`, `ml-deepfool/${strategy}`);
    if (cw.length === 0) return [];
    const [mc, md] = [median(cw), median(df)];
    return [
      {
        where,
        holds: mc < md,
        numbers: `median L2 on the ${cw.length} samples both solved: ML-CW ${f(mc)}, ML-DeepFool ${f(md)}`,
      },
    ];
  });
  return claim(
    'ML-CW finds smaller perturbations than ML-DeepFool',
    'median ‖r‖₂ over the samples both methods solved (same targets: same seed) smaller for ML-CW, per dataset × strategy',
    evidence,
  );
}

/** Claim: ML-CW succeeds more often than ML-DeepFool. */
export function cwSucceedsMore(results: readonly DatasetResults[]): Claim {
  const evidence = methodPairs(results).map(({ where, df, cw }) => ({
    where,
    holds: cw.successRate > df.successRate,
    numbers: `success ML-CW ${pct(cw.successRate)}, ML-DeepFool ${pct(df.successRate)}`,
  }));
  return claim(
    'ML-CW succeeds more often than ML-DeepFool',
    'success rate of ML-CW strictly above ML-DeepFool’s, per dataset × strategy',
    evidence,
  );
}

/** Fraction of a dataset's samples whose clean prediction holds each label (read from one job). */
export function labelFrequencies(rows: readonly LogRow[]): number[] {
  const job = rows[0]?.job;
  const one = rows.filter((r) => r.job === job);
  const L = one[0]?.start.length ?? 0;
  return Array.from(
    { length: L },
    (_, j) => one.filter((r) => r.start[j] === 1).length / Math.max(1, one.length),
  );
}

/** The label index an `add:<label>` strategy adds, read from its attacked rows' targets. */
function addedLabel(rows: readonly LogRow[], job: string): number | undefined {
  const r = rows.find((x) => x.job === job && x.attacked && x.target !== null);
  const j = r?.target?.findIndex((v, k) => v === 1 && r.start[k] === 0);
  return j === undefined || j < 0 ? undefined : j;
}

/** Claim: rarer target labels are harder (named `add:` targets, rarest vs most common). */
export function rareHarder(results: readonly DatasetResults[]): Claim {
  const evidence = results.flatMap((d) => {
    const freq = labelFrequencies(d.rows);
    return [...new Set(d.cells.map((c) => c.attack))].flatMap((attack) => {
      const adds = d.cells
        .filter((c) => c.attack === attack && c.strategy.startsWith('add:'))
        .filter((c) => c.attacked >= MIN_SAMPLES)
        .map((c) => ({ c, j: addedLabel(d.rows, `${attack}/${c.strategy}`) }))
        .filter((a): a is { c: CellStats; j: number } => a.j !== undefined)
        .sort((a, b) => (freq[a.j] ?? 0) - (freq[b.j] ?? 0));
      const rare = adds[0];
      const common = adds.at(-1);
      if (rare === undefined || common === undefined || rare === common) return [];
      const [r, c] = [rare.c, common.c];
      const harder =
        r.successRate < c.successRate ||
        (r.successRate === c.successRate && r.medianL2 > c.medianL2);
      return [
        {
          where: `${d.dataset} · ${attack}`,
          holds: harder,
          numbers: `${r.strategy} (in ${pct(freq[rare.j] ?? 0)} of predictions): success ${pct(r.successRate)}, median L2 ${f(r.medianL2)}; ${c.strategy} (${pct(freq[common.j] ?? 0)}): ${pct(c.successRate)}, ${f(c.medianL2)}`,
        },
      ];
    });
  });
  return claim(
    'Rarer target labels are harder',
    'adding the rarest label (by frequency in the clean predictions) has a lower success rate, or the same rate and a larger median ‖r‖₂, than adding the most common one, per dataset × method',
    evidence,
  );
}

/** Every claim of spec §7, in the spec's order. */
export function allClaims(results: readonly DatasetResults[]): Claim[] {
  return [
    extremeLarger(results),
    extremeFailsMore(results),
    deepFoolFaster(results),
    cwSmaller(results),
    cwSucceedsMore(results),
    rareHarder(results),
  ];
}
