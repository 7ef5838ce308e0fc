import { appendFileSync, existsSync, truncateSync, writeFileSync } from 'node:fs';
import { UsageError } from '../attack/usage-error.js';
import { readTextFile, TEXT_FILE_LIMITS } from '../read-text-file.js';
import { isLogHeader, type LogHeader } from './log-header.js';

/** A row of an evaluation log: the job it belongs to and the sample's index identify it. */
export interface KeyedRow {
  readonly job: string;
  readonly index: number;
  readonly [field: string]: unknown;
}

/** The key of a row: one row per (job, sample). */
export const rowKey = (job: string, index: number) => `${job}#${index}`;

/** Parses the complete lines of a log to resume; a line that is not JSON is an error naming it. */
function parseLines(path: string, text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((line, n) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new UsageError(`${path}:${n + 1}: not a JSON row; cannot resume from a corrupt log`);
      }
    });
}

/**
 * Opens an evaluation log. Fresh: writes `header` alone. Resume: drops a partial last line (a run
 * killed while writing leaves at most one), writes `header` into a log left empty, refuses a log
 * whose header differs (rows of another model), and returns the rows already there. A log written
 * before headers existed is resumed as it is: rewriting it could lose rows to a kill.
 */
export function openLog(path: string, resume: boolean, header: LogHeader): KeyedRow[] {
  const headerLine = `${JSON.stringify(header)}\n`;
  if (!resume || !existsSync(path)) {
    writeFileSync(path, headerLine);
    return [];
  }
  const text = readTextFile(path, 'the log to resume', TEXT_FILE_LIMITS.log);
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
  const lines = parseLines(path, text.slice(0, end));
  if (lines.length === 0) appendFileSync(path, headerLine);
  const found = lines.find(isLogHeader);
  if (found !== undefined && `${JSON.stringify(found)}\n` !== headerLine)
    throw new UsageError(
      `${path}: its header (label names, thresholds) is not this model's; resume with the model that wrote it, or start a new log`,
    );
  return lines.filter((l): l is KeyedRow => !isLogHeader(l));
}

/** Appends one row and flushes it (appendFileSync returns once the write is done). */
export function appendRow(path: string, row: KeyedRow): void {
  appendFileSync(path, `${JSON.stringify(row)}\n`);
}
