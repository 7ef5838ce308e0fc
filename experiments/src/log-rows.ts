import type { EvalLogRow } from '@mlap/cli';
import { readLogText } from './log-archive.js';

/** One line of an `mlap eval` log: a (job, sample) pair, attacked or skipped (the CLI's own type). */
export type LogRow = EvalLogRow;

/** Seconds one `mlap eval` run spent attacking one job's samples (from its `--json` summary). */
export interface TimingRow {
  readonly dataset: string;
  readonly job: string;
  readonly seconds: number;
  readonly samples: number;
  readonly backend: string;
}

function readJsonLines<T>(path: string): T[] {
  const text = readLogText(path);
  if (text === undefined) return [];
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, n) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new Error(`${path}:${n + 1}: not a JSON line`);
      }
    });
}

/** The rows of an eval log, plain or gzipped (none when neither file exists). */
export function readLog(path: string): LogRow[] {
  return readJsonLines<LogRow>(path).filter((r) => typeof r.job === 'string');
}

/** The timing lines of `results/timing.jsonl` (none when the file does not exist). */
export function readTiming(path: string): TimingRow[] {
  return readJsonLines<TimingRow>(path);
}
