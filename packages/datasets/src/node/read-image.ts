import { type DecodeImageOptions, decodeImage } from '../image/decode-image.js';
import type { DecodedImage } from '../image/decoded-image.js';
import { MAX_IMAGE_FILE_BYTES, readBytes } from './read-file.js';

/** Options of {@link readImage}. */
export interface ReadImageOptions extends Omit<DecodeImageOptions, 'source'> {
  /** The largest file read, checked before reading (default {@link MAX_IMAGE_FILE_BYTES}). */
  readonly maxBytes?: number;
}

/**
 * Reads and decodes a PNG or JPEG file (see `decodeImage`): a file over `maxBytes` is a
 * `DatasetFileError` before it is read, a header over the pixel budget an `ImageDecodeError`
 * before decoding; errors name the file.
 */
export async function readImage(
  path: string,
  options: ReadImageOptions = {},
): Promise<DecodedImage> {
  const bytes = await readBytes(path, options.maxBytes ?? MAX_IMAGE_FILE_BYTES);
  return decodeImage(bytes, { ...options, source: path });
}
