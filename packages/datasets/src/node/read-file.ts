import { type FileHandle, open } from 'node:fs/promises';
import { DatasetFileError } from '../errors/dataset-file-error.js';

/**
 * The largest text file read (ARFF, CSV, JSON, XML, lists): 512 MiB, below the longest string a
 * JavaScript engine can hold, so a bigger file fails with a clear error instead of a RangeError.
 */
export const MAX_TEXT_FILE_BYTES = 512 * 1024 * 1024;

/**
 * The largest image file read: 256 MiB, the size of an uncompressed 64-megapixel RGBA image (the
 * default pixel budget), so no real image within the budget is refused for its file size.
 */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

/** Bytes asked for per read of a stream (a pipe hands over at most 64 KiB at a time anyway). */
const STREAM_CHUNK = 1024 * 1024;

/** A read failure (missing file, EISDIR, …) as a {@link DatasetFileError} naming `path`. */
function readFailure(path: string, cause: unknown): DatasetFileError {
  if (DatasetFileError.isInstance(cause)) return cause;
  const code = (cause as { code?: string }).code;
  const detail = code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(cause)})`;
  return new DatasetFileError(path, detail, { cause });
}

/** The size error, worded alike for a regular file (its size known) and a stream (over the cap). */
function tooBig(path: string, what: string, maxBytes: number): DatasetFileError {
  return new DatasetFileError(path, `${what}; files over ${maxBytes} bytes are refused`);
}

/** `chunks` joined into one array (`total` is their summed length). */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Reads a stream (FIFO, device, process substitution) whose size `stat` cannot tell, to its end,
 * and throws as soon as it passes `maxBytes`: `/dev/zero` costs at most `maxBytes` plus one chunk.
 */
async function readBounded(
  handle: FileHandle,
  path: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const scratch = new Uint8Array(Math.min(STREAM_CHUNK, maxBytes + 1));
  let total = 0;
  for (;;) {
    // one byte past the cap is enough to know it is passed
    const want = Math.min(scratch.length, maxBytes - total + 1);
    const { bytesRead } = await handle.read(scratch, 0, want, null);
    if (bytesRead === 0) return concatBytes(chunks, total);
    total += bytesRead;
    if (total > maxBytes) {
      throw tooBig(path, `is not a regular file and gave over ${maxBytes} bytes`, maxBytes);
    }
    // copied out: a pipe's reads are small, and a kept view would pin the whole scratch buffer
    chunks.push(scratch.slice(0, bytesRead));
  }
}

/**
 * Reads a file's bytes; a missing or unreadable file, or one over `maxBytes`, throws a
 * {@link DatasetFileError} naming it. A regular file's size is checked before it is read; a path
 * that is not a regular file (a FIFO, `<(…)` process substitution, a device such as `/dev/zero`),
 * whose `stat` size is 0, is read as a stream and refused once it passes `maxBytes`.
 */
export async function readBytes(path: string, maxBytes?: number): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw readFailure(path, cause);
  }
  try {
    // the opened file's stat: what is read is what was checked
    const info = await handle.stat();
    if (maxBytes !== undefined && !info.isFile()) return await readBounded(handle, path, maxBytes);
    if (maxBytes !== undefined && info.size > maxBytes) {
      throw tooBig(path, `is ${info.size} bytes`, maxBytes);
    }
    const buffer = await handle.readFile();
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (cause) {
    throw readFailure(path, cause);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a UTF-8 text file; a missing or unreadable file, or one over `maxBytes` (default
 * {@link MAX_TEXT_FILE_BYTES}; a stream is read up to it, see {@link readBytes}), throws a
 * {@link DatasetFileError}.
 */
export async function readText(path: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<string> {
  return new TextDecoder().decode(await readBytes(path, maxBytes));
}
