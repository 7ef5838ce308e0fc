import { type DecodeImageOptions, decodeImage } from '../image/decode-image.js';
import type { DecodedImage } from '../image/decoded-image.js';
import { readBytes } from './read-file.js';

/** Reads and decodes a PNG or JPEG file (see `decodeImage`); errors name the file. */
export async function readImage(
  path: string,
  options: Omit<DecodeImageOptions, 'source'> = {},
): Promise<DecodedImage> {
  return decodeImage(await readBytes(path), { ...options, source: path });
}
