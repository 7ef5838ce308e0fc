import { type FileHandle, open } from 'node:fs/promises';
import { DatasetFileError } from '../errors/dataset-file-error.js';
import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { concatBytes, MAX_TEXT_FILE_BYTES } from './read-file.js';

/**
 * The longest line of a line-based text file (ARFF, CSV, NUS-WIDE and VOC lists): 16 MiB, far
 * above any real row (a 100,000-feature ARFF row is ~1 MB) and far below what would exhaust memory.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Limits of {@link readLineText}. */
export interface TextLimits {
  /** The largest file, in bytes (default `MAX_TEXT_FILE_BYTES`, 512 MiB). */
  readonly maxBytes?: number;
  /** The longest line, in bytes without its line break (default {@link MAX_LINE_BYTES}). */
  readonly maxLineBytes?: number;
}

const CHUNK = 1024 * 1024;

/** Opens a file for reading; a missing or unreadable one is a {@link DatasetFileError}. */
async function openForReading(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    const detail =
      code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(cause)})`;
    throw new DatasetFileError(path, detail, { cause });
  }
}

/** Counts lines through a stream of chunks and throws at the first line over the limit. */
class LineMeter {
  line = 1;
  private bytes = 0;

  constructor(
    private readonly path: string,
    private readonly maxLineBytes: number,
  ) {}

  /** Scans one chunk (`\n` ends a line; a `\r` before it counts, a few bytes of slack). */
  scan(chunk: Uint8Array): void {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, from);
      this.bytes += (nl < 0 ? chunk.length : nl) - from;
      if (this.bytes > this.maxLineBytes) {
        throw new DatasetFormatError(
          this.path,
          this.line,
          `line is longer than ${this.maxLineBytes} bytes, the line limit (maxLineBytes)`,
        );
      }
      if (nl < 0) return;
      this.line++;
      this.bytes = 0;
      from = nl + 1;
    }
  }
}

/**
 * Reads a line-based UTF-8 text file in 1 MiB chunks, checking as it goes that no line is longer
 * than `maxLineBytes` — a {@link DatasetFormatError} naming the file and the line, raised as soon
 * as the limit is passed, so a "1 GB line" costs one 16 MiB scan. A file over `maxBytes` is a
 * {@link DatasetFileError}; its bytes are scanned for an over-long line (reported first, with its
 * line) but never kept, so memory stays at one chunk.
 */
export async function readLineText(path: string, limits: TextLimits = {}): Promise<string> {
  const maxBytes = limits.maxBytes ?? MAX_TEXT_FILE_BYTES;
  const meter = new LineMeter(path, limits.maxLineBytes ?? MAX_LINE_BYTES);
  const handle = await openForReading(path);
  try {
    const size = (await handle.stat()).size;
    // an oversize file is scanned through one scratch chunk, never kept
    const kept = new Uint8Array(size <= maxBytes ? size : 0);
    // bytes past `size` (a file that grew, or a FIFO / device whose size is 0), chunk by chunk
    const more: Uint8Array[] = [];
    const scratch = new Uint8Array(CHUNK);
    let total = 0;
    for (;;) {
      const into = total < kept.length ? kept : scratch;
      const at = into === kept ? total : 0;
      const { bytesRead } = await handle.read(into, at, Math.min(CHUNK, into.length - at), null);
      if (bytesRead === 0) break;
      meter.scan(into.subarray(at, at + bytesRead));
      total += bytesRead;
      if (total > maxBytes) {
        throw new DatasetFileError(path, `is over ${maxBytes} bytes; larger files are refused`);
      }
      if (into === scratch && size <= maxBytes) more.push(scratch.slice(0, bytesRead));
    }
    const bytes = more.length === 0 ? kept.subarray(0, total) : concatBytes([kept, ...more], total);
    return new TextDecoder().decode(bytes);
  } finally {
    await handle.close();
  }
}
