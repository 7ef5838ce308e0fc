import { writeFileSync } from 'node:fs';
import { UsageError } from '../attack/usage-error.js';
import { readTextFile, TEXT_FILE_LIMITS } from '../read-text-file.js';
import { type KeyedRow, rowKey } from './jsonl-log.js';
import { isLogHeader } from './log-header.js';

/** A parsed line and its text, kept verbatim so the merged log repeats it byte for byte. */
interface Line<T> {
  readonly value: T;
  readonly text: string;
  readonly where: string;
}

/** A line of a log: its header, or a row with a job and an index; anything else is an error. */
function parseLine(line: string, where: string): Line<KeyedRow> | { header: Line<unknown> } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new UsageError(`${where}: not a JSON row`);
  }
  if (isLogHeader(value)) return { header: { value, text: line, where } };
  const row = value as KeyedRow;
  if (typeof row?.job !== 'string' || !Number.isInteger(row.index))
    throw new UsageError(`${where}: a row needs job and index`);
  return { value: row, text: line, where };
}

/**
 * Joins evaluation logs (shards, or resumed pieces) into one, in a canonical order: the header
 * (label names and thresholds, when the logs have one), then the rows by job, then sample index.
 * A row present in several logs must be identical in each, and so must headers (the same model);
 * a conflict is an error. Returns the number of rows.
 */
export function mergeLogs(paths: readonly string[], out: string): number {
  const rows = new Map<string, Line<KeyedRow>>();
  let header: Line<unknown> | undefined;
  for (const path of paths) {
    const text = readTextFile(path, 'the log', TEXT_FILE_LIMITS.log);
    text.split('\n').forEach((line, n) => {
      if (line.trim() === '') return;
      const parsed = parseLine(line, `${path}:${n + 1}`);
      if ('header' in parsed) {
        if (header !== undefined && header.text !== line)
          throw new UsageError(`${parsed.header.where}: the header differs from ${header.where}'s`);
        header = parsed.header;
        return;
      }
      const key = rowKey(parsed.value.job, parsed.value.index);
      const seen = rows.get(key);
      if (seen !== undefined && seen.text !== line)
        throw new UsageError(`${parsed.where}: ${key} differs from an earlier copy`);
      rows.set(key, parsed);
    });
  }
  const sorted = [...rows.values()].sort((a, b) =>
    a.value.job < b.value.job ? -1 : a.value.job > b.value.job ? 1 : a.value.index - b.value.index,
  );
  const head = header === undefined ? '' : `${header.text}\n`;
  writeFileSync(out, head + sorted.map((r) => `${r.text}\n`).join(''));
  return sorted.length;
}
