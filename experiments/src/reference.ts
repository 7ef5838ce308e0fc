import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellStats } from './cell-stats.js';
import { fmt as num } from './format.js';

/** One engine's run of a job in a reference file (NaN written as null). */
interface EngineRun {
  readonly samples: number;
  readonly seconds: number;
  /** Percent. */
  readonly successRate: number | null;
  readonly medianL2: number | null;
}

/** mlap on one backend against the reference on the same samples. */
interface Comparison {
  readonly engine: string;
  readonly samples: number;
  readonly successDelta: number | null;
  readonly medianL2Ratio: number | null;
  readonly timeRatio: number | null;
  /** Percent of samples whose success agrees. */
  readonly sameOutcome: number | null;
  readonly flags: readonly string[];
  readonly disagreements: readonly unknown[];
}

/** The fields of `mlap-protocol-reference/1` (bench/reference/README.md) the page reads. */
interface ReferenceFile {
  readonly format: string;
  readonly dataset: string;
  readonly date?: string;
  readonly engines?: Record<string, string | undefined>;
  readonly selection?: { readonly attacked?: number; readonly cpuAttacked?: number };
  readonly logitsMaxAbsDiff?: number;
  readonly tolerances?: { readonly successPoints?: number; readonly medianL2Relative?: number };
  readonly jobs: readonly {
    readonly method: string;
    readonly strategy: string;
    readonly attacked: number;
    readonly inapplicable?: string;
    readonly mlapWasm?: EngineRun;
    readonly mlapCpu?: EngineRun;
    readonly reference?: EngineRun;
    readonly referenceCpuSubset?: EngineRun;
    readonly comparisons?: readonly Comparison[];
  }[];
}

/** The reference's method names → the CLI's. */
const CLI_NAME: Readonly<Record<string, string>> = {
  mlDeepFool: 'ml-deepfool',
  mlCw: 'ml-cw',
  rank1: 'rank1',
  rank2: 'rank2',
};

const pts = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(1)}%`;
const ratio = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : `×${num(v)}`;
const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;

const HEAD = [
  'method',
  'strategy',
  'n',
  'success: wasm / ref',
  'median L2: wasm / ref (ratio)',
  'time s: wasm / ref (ratio)',
  'same outcome',
  'cpu vs ref (n): success Δ, L2 ratio, time ratio',
  'this page (all eligible): success, median L2',
  'flags',
];

function jobRow(job: ReferenceFile['jobs'][number], cells: readonly CellStats[], dataset: string) {
  const method = CLI_NAME[job.method] ?? job.method;
  const mine = cells.find(
    (c) => c.dataset === dataset && c.attack === method && c.strategy === job.strategy,
  );
  const ours =
    mine && mine.attacked > 0 ? `${pts(100 * mine.successRate)}, ${num(mine.medianL2)}` : '–';
  if (job.attacked === 0) {
    return row([
      method,
      job.strategy,
      0,
      `inapplicable: ${job.inapplicable ?? ''}`,
      '',
      '',
      '',
      '',
      ours,
      '',
    ]);
  }
  const w = job.mlapWasm;
  const r = job.reference;
  const wasm = job.comparisons?.find((c) => c.engine === 'mlapWasm');
  const cpu = job.comparisons?.find((c) => c.engine === 'mlapCpu');
  const flags = (job.comparisons ?? []).flatMap((c) =>
    c.flags.map((f) => `${c.engine}: ${f} (${c.disagreements.length} samples differ)`),
  );
  const delta = (v: number | null | undefined) =>
    v === null || v === undefined ? '–' : `${v >= 0 ? '+' : ''}${v.toFixed(1)} pts`;
  return row([
    method,
    job.strategy,
    job.attacked,
    `${pts(w?.successRate)} / ${pts(r?.successRate)}`,
    `${num(w?.medianL2)} / ${num(r?.medianL2)} (${ratio(wasm?.medianL2Ratio)})`,
    `${num(w?.seconds)} / ${num(r?.seconds)} (${ratio(wasm?.timeRatio)})`,
    pts(wasm?.sameOutcome),
    cpu === undefined
      ? 'not run'
      : `(${cpu.samples}) ${delta(cpu.successDelta)}, ${ratio(cpu.medianL2Ratio)}, ${ratio(cpu.timeRatio)}`,
    ours,
    flags.length === 0 ? 'none' : flags.join('; '),
  ]);
}

function fileSection(file: string, f: ReferenceFile, cells: readonly CellStats[]): string[] {
  const engines = Object.entries(f.engines ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  const tol = f.tolerances ?? {};
  return [
    `### ${f.dataset} (\`results/reference/${file}\`${f.date === undefined ? '' : `, ${f.date.slice(0, 10)}`})`,
    '',
    `${engines}. Attacked: the first ${f.selection?.attacked ?? '?'} eligible test samples on wasm and in ` +
      `the reference, the first ${f.selection?.cpuAttacked ?? 0} on cpu. Largest logit difference ` +
      `between the engines on the clean inputs: ${num(f.logitsMaxAbsDiff, 2)}. Flagged: success ` +
      `rates more than ${tol.successPoints ?? 3} points apart or median L2 more than ` +
      `${100 * (tol.medianL2Relative ?? 0.1)}% apart.`,
    '',
    row(HEAD),
    row(HEAD.map((_, i) => (i < 2 || i === HEAD.length - 1 ? '---' : '---:'))),
    ...f.jobs.map((j) => jobRow(j, cells, f.dataset)),
    '',
  ];
}

/**
 * The "mlap vs PyTorch reference" section: one table per comparison file of
 * `bench/reference/` (format `mlap-protocol-reference/1`), beside this page's own numbers; without
 * the files, how to produce them.
 */
export function referenceSection(dir: string, cells: readonly CellStats[]): string[] {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  const head = ['## mlap vs PyTorch reference', ''];
  if (files.length === 0) {
    return [
      ...head,
      'No comparison files in `experiments/results/reference/`. Produce them with ' +
        '`pnpm --filter @mlap/bench reference:protocol` (a PyTorch implementation of the four ' +
        'methods on the same weights and inputs; see `bench/reference/README.md`), then rerun ' +
        '`pnpm experiments --report-only`.',
      '',
    ];
  }
  const parsed = files.map((file) => ({
    file,
    f: JSON.parse(readFileSync(join(dir, file), 'utf8')) as ReferenceFile,
  }));
  const known = parsed.filter(({ f }) => f.format === 'mlap-protocol-reference/1');
  const unknown = parsed.filter(({ f }) => f.format !== 'mlap-protocol-reference/1');
  return [
    ...head,
    'Written by `pnpm --filter @mlap/bench reference:protocol` (format in ' +
      '`bench/reference/README.md`): mlap on wasm and cpu and a PyTorch implementation of the four ' +
      'methods run the same jobs on the same exported weights, inputs and targets, with the options ' +
      'of the configs above. Success rates are percentages; ratios are mlap ÷ reference; "same ' +
      'outcome" is the share of samples whose success agrees. The last column repeats this page\'s ' +
      'own result for the job (all eligible samples, so it may differ from the first n).',
    '',
    ...known.flatMap(({ file, f }) => fileSection(file, f, cells)),
    ...unknown.map(({ file, f }) => `\`${file}\`: unknown format "${f.format}", not shown.`),
    '',
  ];
}
