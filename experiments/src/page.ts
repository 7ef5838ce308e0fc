import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CellStats, datasetCells } from './cell-stats.js';
import { l2ByStrategy, successByStrategy } from './charts.js';
import { allClaims, type Claim, type DatasetResults, MIN_SAMPLES } from './claims.js';
import { EXPERIMENTS, type Experiment } from './experiment-list.js';
import { fmt as num, pct } from './format.js';
import { readLog, readTiming } from './log-rows.js';
import { referenceSection } from './reference.js';
import { logPath, RUN_JOB, timingPath } from './run-experiment.js';
import { settingsSection } from './settings.js';

const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;

const HEAD = [
  'method',
  'strategy',
  'attacked',
  'skipped',
  'success [95% CI]',
  'mean L2',
  'median L2',
  'mean rel. L2',
  'median rel. L2',
  'mean L∞',
  'mean L∞ (all)',
  'mean RMSD',
  'iterations',
  'gradient evals',
  's / sample',
  'top-k hit',
  'Kendall τ',
];

/** The table row of one dataset × method × strategy. */
export function cellRow(c: CellStats): string {
  const success =
    c.attacked === 0
      ? '–'
      : `${pct(c.successRate)} [${pct(c.successLow)}, ${pct(c.successHigh)}] (${c.successes}/${c.attacked})`;
  return row([
    c.attack,
    c.strategy,
    c.attacked,
    c.skipped,
    success,
    num(c.meanL2),
    num(c.medianL2),
    num(c.meanRelL2),
    num(c.medianRelL2),
    num(c.meanLinf),
    num(c.meanLinfAll),
    num(c.meanRmsd),
    num(c.meanIterations),
    num(c.meanGradientEvaluations),
    num(c.secondsPerSample),
    c.topKHitRate === undefined ? '' : pct(c.topKHitRate),
    c.kendallTau === undefined ? '' : num(c.kendallTau, 2),
  ]);
}

/** Why samples were skipped: each reason with the jobs it applied to and how often. */
export function skipTable(cells: readonly CellStats[]): string[] {
  const reasons = new Map<string, Map<number, string[]>>();
  for (const c of cells) {
    for (const [reason, n] of c.skipReasons) {
      const byCount = reasons.get(reason) ?? new Map<number, string[]>();
      byCount.set(n, [...(byCount.get(n) ?? []), `${c.attack}/${c.strategy}`]);
      reasons.set(reason, byCount);
    }
  }
  if (reasons.size === 0) return [];
  const lines = ['| skipped because | samples | jobs |', '|---|---:|---|'];
  for (const [reason, byCount] of reasons) {
    for (const [n, jobs] of byCount) {
      const which = jobs.length === cells.length ? 'every job' : jobs.join(', ');
      lines.push(row([reason, n, which]));
    }
  }
  return lines;
}

function datasetSection(e: Experiment, cells: readonly CellStats[], plots: string): string[] {
  const lines = [`### ${e.title}`, ''];
  if (cells.length === 0) {
    lines.push(`No results: \`results/${e.name}.jsonl.gz\` is missing or empty.`, '');
    return lines;
  }
  const timed = cells.reduce((a, c) => a + c.seconds, 0);
  lines.push(
    `${cells.length} jobs, ${cells.reduce((a, c) => a + c.attacked, 0)} attacks, ${timed.toFixed(0)} s of attack time (log: \`results/${e.name}.jsonl.gz\`).`,
    '',
    row(HEAD),
    row(HEAD.map((_, i) => (i < 2 ? '---' : '---:'))),
    ...cells.map(cellRow),
    '',
    ...skipTable(cells),
    '',
    `![Success rate by target strategy, ${e.name}](${plots}/${e.name}-success.svg)`,
    `![L2 of successful samples by target strategy, ${e.name}](${plots}/${e.name}-l2.svg)`,
    '',
  );
  return lines;
}

/** The claims section: each claim with its verdict, its test and the numbers that decide it. */
export function claimsSection(claims: readonly Claim[]): string[] {
  return claims.flatMap((c) => {
    const holding = c.evidence.filter((e) => e.holds).length;
    const verdict =
      c.verdict === undefined
        ? '**not measured** (no comparison possible)'
        : `**${c.verdict ? 'TRUE' : 'FALSE'}** — holds in ${holding} of ${c.evidence.length} comparisons`;
    return [
      `### ${c.statement}: ${verdict}`,
      '',
      `Test: ${c.test}.`,
      '',
      ...(c.evidence.length === 0
        ? []
        : [
            '| where | holds | numbers |',
            '|---|---|---|',
            ...c.evidence.map((e) => row([e.where, e.holds ? 'yes' : 'no', e.numbers])),
          ]),
      '',
    ];
  });
}

/** How long the runs behind the logs took, from the timing lines. */
function timeLine(outDir: string): string[] {
  const timing = readTiming(timingPath(outDir));
  const sum = (rows: typeof timing) => rows.reduce((a, t) => a + t.seconds, 0);
  const whole = timing.filter((t) => t.job === RUN_JOB);
  const attacking = sum(timing.filter((t) => t.job !== RUN_JOB));
  const per = EXPERIMENTS.map((e) => {
    const s = sum(whole.filter((t) => t.dataset === e.name));
    return s > 0 ? `${e.name} ${(s / 60).toFixed(1)}` : undefined;
  }).filter((x) => x !== undefined);
  const backends = [...new Set(timing.map((t) => t.backend))].join(', ') || '–';
  const runs =
    whole.length === 0
      ? ''
      : `${(sum(whole) / 60).toFixed(1)} min of \`mlap eval\` in all (${per.join(', ')} min), of which `;
  return [
    `Time of the runs behind these logs (backend ${backends}): ${runs}${(attacking / 60).toFixed(1)} ` +
      'min attacking. Resumed runs add up their pieces.',
    '',
  ];
}

/** Reads every experiment's log, writes the plots and returns the page's datasets. */
function collect(outDir: string): { e: Experiment; results: DatasetResults }[] {
  const timing = readTiming(timingPath(outDir));
  mkdirSync(join(outDir, 'plots'), { recursive: true });
  return EXPERIMENTS.map((e) => {
    const rows = readLog(logPath(outDir, e.name));
    const cells = datasetCells(e.name, rows, timing);
    if (cells.length > 0) {
      writeFileSync(join(outDir, 'plots', `${e.name}-success.svg`), successByStrategy(cells));
      writeFileSync(join(outDir, 'plots', `${e.name}-l2.svg`), l2ByStrategy(cells));
    }
    return { e, results: { dataset: e.name, cells, rows } };
  });
}

/**
 * Regenerates `results.md` and `plots/*.svg` in `outDir` from the JSONL logs under
 * `outDir/results/` alone (and the reference comparison files, when present). Returns the page's
 * path.
 */
export function writePage(outDir: string, options: { quick: boolean }): string {
  const all = collect(outDir);
  const claims = allClaims(all.map((a) => a.results).filter((r) => r.cells.length > 0));
  const lines = [
    "# Reproducing the paper's experiments",
    '',
    '<!-- Generated by `pnpm experiments` from experiments/results/*.jsonl.gz: do not edit by hand. -->',
    '',
    ...(options.quick
      ? [
          '**Quick mode**: tiny sample counts and budgets; these numbers only test the pipeline.',
          '',
        ]
      : []),
    ...settingsSection(all.map((a) => a.e)),
    '## Results',
    '',
    'Norms are over successful samples unless marked "(all)"; L2 and L∞ are in the model\'s input box ' +
      '(pixels in [0, 1] for the default CNN, [0, 255] for CenterNet; features in [0, 1] for yeast and ' +
      'scene), relative L2 is ‖r‖₂ / ‖x‖₂, RMSD is ‖r‖₂ / √d on the 0–255 scale. Iterations and ' +
      'gradient evaluations are means per attacked sample; s / sample is attack wall time per ' +
      'attacked sample. Top-k hit and Kendall τ (between the logit orders before and after) are for ' +
      'the ranking attacks. Success intervals are seeded 95% percentile-bootstrap intervals.',
    '',
    ...timeLine(outDir),
    ...all.flatMap(({ e, results }) => datasetSection(e, results.cells, 'plots')),
    '## The claims of spec §7, as measured',
    '',
    'Each verdict is computed from the tables above by `experiments/src/claims.ts`: a claim is TRUE ' +
      'when it holds in every comparison that could be made, FALSE otherwise. Only cells with at ' +
      `least ${MIN_SAMPLES} attacked samples take part (CenterNet's single photo decides nothing).`,
    '',
    ...claimsSection(claims),
    ...referenceSection(
      join(outDir, 'results', 'reference'),
      all.flatMap((a) => a.results.cells),
    ),
  ];
  const path = join(outDir, 'results.md');
  writeFileSync(
    path,
    `${lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`,
  );
  return path;
}

/** The page's text (for tests). */
export const readPage = (outDir: string) => readFileSync(join(outDir, 'results.md'), 'utf8');
