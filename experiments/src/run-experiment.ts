import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { run } from '@mlap/cli';
import { type Experiment, REPO_ROOT } from './experiment-list.js';
import { archivePath, packLog, unpackLog } from './log-archive.js';
import { readTiming, type TimingRow } from './log-rows.js';

/** How to run the experiments. */
export interface RunSettings {
  /** Where `results/` (and, in quick mode, `configs/`) go. */
  readonly outDir: string;
  readonly backend: string;
  /** Tiny counts and budgets: a smoke test of the whole pipeline. */
  readonly quick: boolean;
  /** Drop the experiment's log and timing first instead of resuming. */
  readonly fresh: boolean;
}

/** What `mlap eval --json` prints. */
interface EvalSummary {
  readonly written: number;
  readonly kept: number;
  readonly seconds: number;
  readonly jobs: Record<string, { seconds: number; samples: number }>;
  readonly backend?: { readonly name: string; readonly threads?: number };
}

/** The timing line of a whole `mlap eval` run (not a job name: jobs are `attack/strategy`). */
export const RUN_JOB = '(whole run)';

/** The backend a run used, with wasm's threads: `wasm (2 threads)`. */
function backendLabel(s: RunSettings, summary: EvalSummary): string {
  const threads = summary.backend?.threads;
  return threads === undefined
    ? s.backend
    : `${s.backend} (${threads} thread${threads === 1 ? '' : 's'})`;
}

/** The log of an experiment. */
export const logPath = (outDir: string, name: string) => join(outDir, 'results', `${name}.jsonl`);
/** The timing lines of every experiment. */
export const timingPath = (outDir: string) => join(outDir, 'results', 'timing.jsonl');

/** A repository-relative path, absolute. */
const atRoot = (path: string) => resolve(REPO_ROOT, path);

const QUICK_BUDGET = { maxIterations: 10, binarySearchSteps: 1 };

/**
 * The quick variant of a config: `limit` samples and 10-step budgets, paths made absolute so the
 * copy can live elsewhere.
 */
function quickConfig(e: Experiment, outDir: string): string {
  const config = JSON.parse(readFileSync(atRoot(e.config), 'utf8')) as Record<string, unknown>;
  const base = dirname(atRoot(e.config));
  const abs = (p: unknown) =>
    typeof p !== 'string' || p === 'default' || isAbsolute(p) ? p : resolve(base, p);
  type Entry = string | { name: string; options?: Record<string, unknown> };
  const attacks = (config.attacks as Entry[]).map((entry) => {
    const a = typeof entry === 'string' ? { name: entry, options: {} } : entry;
    const budget = a.name === 'ml-deepfool' ? { maxIterations: 5 } : QUICK_BUDGET;
    return { name: a.name, options: { ...a.options, ...budget } };
  });
  const quick = {
    ...config,
    model: abs(config.model),
    data: abs(config.data),
    ...(config.labels === undefined ? {} : { labels: abs(config.labels) }),
    attacks,
    limit: e.quickLimit,
  };
  const path = join(outDir, 'configs', `${e.name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(quick, null, 2)}\n`);
  return path;
}

function dropTiming(outDir: string, dataset: string): void {
  const path = timingPath(outDir);
  const kept = readTiming(path).filter((t) => t.dataset !== dataset);
  writeFileSync(path, kept.map((t) => `${JSON.stringify(t)}\n`).join(''));
}

/**
 * Runs (or resumes) one experiment with `mlap eval --resume`: rows already in its log are kept,
 * unfinished batches are redone. The attack seconds of each job go to `results/timing.jsonl`.
 * Returns the eval's summary, or a reason the experiment was not run.
 */
export async function runExperiment(
  e: Experiment,
  s: RunSettings,
): Promise<{ summary?: EvalSummary; skipped?: string }> {
  if (s.quick && e.quickLimit === undefined) return { skipped: 'not part of --quick' };
  if (e.needs !== undefined && !existsSync(atRoot(e.needs)))
    return { skipped: `${e.needs} is absent (real data outside the repository)` };
  const log = logPath(s.outDir, e.name);
  mkdirSync(dirname(log), { recursive: true });
  if (s.fresh) {
    rmSync(log, { force: true });
    rmSync(archivePath(log), { force: true });
    dropTiming(s.outDir, e.name);
  }
  unpackLog(log);
  // Relative to the working folder when it is the root, so sample names stay repository-relative.
  const config = s.quick ? quickConfig(e, s.outDir) : relative(process.cwd(), atRoot(e.config));
  const lines: string[] = [];
  const args = ['eval', '--config', config, '--out', log, '--resume', '--json'];
  const code = await run([...args, '--backend', s.backend], { log: (l) => lines.push(l) });
  if (code !== 0) throw new Error(`mlap ${args.join(' ')} failed with exit code ${code}`);
  packLog(log);
  const summary = JSON.parse(lines.at(-1) ?? '{}') as EvalSummary;
  // The whole eval (loading, predicting, attacking) as job RUN_JOB: the page's regeneration time.
  const whole = { seconds: summary.seconds, samples: summary.written };
  for (const [job, t] of [[RUN_JOB, whole] as const, ...Object.entries(summary.jobs ?? {})]) {
    if (t.samples === 0) continue;
    const row: TimingRow = { dataset: e.name, job, ...t, backend: backendLabel(s, summary) };
    appendFileSync(timingPath(s.outDir), `${JSON.stringify(row)}\n`);
  }
  return { summary };
}
