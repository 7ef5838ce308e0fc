import { readFile, stat } from 'node:fs/promises';
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

/**
 * Reads a file's bytes; a missing or unreadable file, or one over `maxBytes` (checked before it is
 * read), throws a {@link DatasetFileError} naming it.
 */
export async function readBytes(path: string, maxBytes?: number): Promise<Uint8Array> {
  if (maxBytes !== undefined) {
    const size = await stat(path).then(
      (s) => s.size,
      () => undefined, // reported by the read below
    );
    if (size !== undefined && size > maxBytes) {
      throw new DatasetFileError(
        path,
        `is ${size} bytes; files over ${maxBytes} bytes are refused`,
      );
    }
  }
  try {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    const detail =
      code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(cause)})`;
    throw new DatasetFileError(path, detail, { cause });
  }
}

/**
 * Reads a UTF-8 text file; a missing or unreadable file, or one over `maxBytes` (default
 * {@link MAX_TEXT_FILE_BYTES}), throws a {@link DatasetFileError}.
 */
export async function readText(path: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<string> {
  return new TextDecoder().decode(await readBytes(path, maxBytes));
}
