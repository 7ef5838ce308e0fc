import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
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
 * A path that is not a regular file (a FIFO, `<(…)`, a device) has no size to check: it is read
 * until it ends or passes the limit, so `/dev/zero` is refused instead of filling memory.
 */
export function readTextFile(path: string, what: string, maxBytes: number): string {
  const refuse = (detail: string) => new UsageError(`${path}: cannot read ${what} (${detail})`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw refuse(codeOf(error));
  }
  try {
    const info = fstatSync(fd);
    if (info.isFile() && info.size > maxBytes) {
      throw refuse(`${info.size} bytes; files over ${maxBytes} bytes are refused`);
    }
    const bytes = info.isFile() ? readFileSync(fd) : readBounded(fd, maxBytes, refuse);
    return bytes.toString('utf8');
  } catch (error) {
    throw error instanceof UsageError ? error : refuse(codeOf(error));
  } finally {
    closeSync(fd);
  }
}

/** Reads `fd` to its end in chunks, refusing it once it passes `maxBytes`. */
function readBounded(fd: number, maxBytes: number, refuse: (detail: string) => Error): Buffer {
  const chunks: Buffer[] = [];
  const chunk = Buffer.allocUnsafe(64 * 1024);
  let total = 0;
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    total += n;
    if (total > maxBytes) {
      throw refuse(
        `not a regular file, and it gave over ${maxBytes} bytes; files over ${maxBytes} bytes are refused`,
      );
    }
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
}

const codeOf = (error: unknown) => (error as { code?: string }).code ?? 'error';
