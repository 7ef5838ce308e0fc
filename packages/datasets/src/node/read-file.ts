import { readFile } from 'node:fs/promises';
import { DatasetFileError } from '../errors/dataset-file-error.js';

/** Reads a file's bytes; a missing or unreadable file throws a {@link DatasetFileError} naming it. */
export async function readBytes(path: string): Promise<Uint8Array> {
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

/** Reads a UTF-8 text file; a missing or unreadable file throws a {@link DatasetFileError}. */
export async function readText(path: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(path));
}
