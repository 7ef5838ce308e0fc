import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './attack/usage-error.js';

/** Size limits of the small text files the CLI reads itself (datasets and models have their own). */
export const TEXT_FILE_LIMITS = {
  /** An eval config: a few hundred bytes in practice. */
  config: 1024 * 1024,
  /** A label list (MULAN XML or one name per line). */
  labels: 16 * 1024 * 1024,
  /** A model.json read for its metadata (the loader checks it again, with the same limit). */
  modelJson: 256 * 1024 * 1024,
  /** A result log: V8 cannot hold a longer string, so a larger one would crash the process. */
  log: 512 * 1024 * 1024 - 64,
} as const;

/**
 * Reads a UTF-8 file after checking its size, so a huge or hostile file costs no memory: a missing,
 * unreadable or oversized file becomes a {@link UsageError} naming the file and what it was read as.
 */
export function readTextFile(path: string, what: string, maxBytes: number): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new UsageError(`${path}: cannot read ${what} (${codeOf(error)})`);
  }
  if (size > maxBytes) {
    throw new UsageError(
      `${path}: cannot read ${what} (${size} bytes; files over ${maxBytes} bytes are refused)`,
    );
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot read ${what} (${codeOf(error)})`);
  }
}

const codeOf = (error: unknown) => (error as { code?: string }).code ?? 'error';
