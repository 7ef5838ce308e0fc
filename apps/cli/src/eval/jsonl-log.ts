import { appendFileSync, existsSync, truncateSync, writeFileSync } from 'node:fs';
import { UsageError } from '../attack/usage-error.js';
import { readTextFile, TEXT_FILE_LIMITS } from '../read-text-file.js';

/** A row of an evaluation log: the job it belongs to and the sample's index identify it. */
export interface KeyedRow {
  readonly job: string;
  readonly index: number;
  readonly [field: string]: unknown;
}

/** The key of a row: one row per (job, sample). */
export const rowKey = (job: string, index: number) => `${job}#${index}`;

/**
 * Opens an evaluation log. Fresh: empties the file. Resume: drops a partial last line (a run killed
 * while writing leaves at most one), and returns the rows already there.
 */
export function openLog(path: string, resume: boolean): KeyedRow[] {
  if (!resume || !existsSync(path)) {
    writeFileSync(path, '');
    return [];
  }
  const text = readTextFile(path, 'the log to resume', TEXT_FILE_LIMITS.log);
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
  return text
    .slice(0, end)
    .split('\n')
    .filter((l) => l !== '')
    .map((line, n) => {
      try {
        return JSON.parse(line) as KeyedRow;
      } catch {
        throw new UsageError(`${path}:${n + 1}: not a JSON row; cannot resume from a corrupt log`);
      }
    });
}

/** Appends one row and flushes it (appendFileSync returns once the write is done). */
export function appendRow(path: string, row: KeyedRow): void {
  appendFileSync(path, `${JSON.stringify(row)}\n`);
}
