import { writeFileSync } from 'node:fs';
import { UsageError } from '../attack/usage-error.js';
import { readTextFile, TEXT_FILE_LIMITS } from '../read-text-file.js';
import { type KeyedRow, rowKey } from './jsonl-log.js';

/**
 * Joins evaluation logs (shards, or resumed pieces) into one, in a canonical order: by job, then
 * sample index. A row present in several logs must be identical in each; a conflict is an error.
 */
export function mergeLogs(paths: readonly string[], out: string): number {
  const rows = new Map<string, { row: KeyedRow; text: string }>();
  for (const path of paths) {
    const text = readTextFile(path, 'the log', TEXT_FILE_LIMITS.log);
    text.split('\n').forEach((line, n) => {
      if (line.trim() === '') return;
      let row: KeyedRow;
      try {
        row = JSON.parse(line) as KeyedRow;
      } catch {
        throw new UsageError(`${path}:${n + 1}: not a JSON row`);
      }
      if (typeof row.job !== 'string' || !Number.isInteger(row.index))
        throw new UsageError(`${path}:${n + 1}: a row needs job and index`);
      const key = rowKey(row.job, row.index);
      const seen = rows.get(key);
      if (seen !== undefined && seen.text !== line)
        throw new UsageError(`${path}:${n + 1}: ${key} differs from an earlier copy`);
      rows.set(key, { row, text: line });
    });
  }
  const sorted = [...rows.values()].sort((a, b) =>
    a.row.job < b.row.job ? -1 : a.row.job > b.row.job ? 1 : a.row.index - b.row.index,
  );
  writeFileSync(out, sorted.map((r) => `${r.text}\n`).join(''));
  return sorted.length;
}
