import { convertIndexedToRgb, decode as decodePng, hasPngSignature } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import { ImageDecodeError } from '../errors/image-decode-error.js';
import { convertChannels } from './convert-channels.js';
import type { DecodedImage } from './decoded-image.js';

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /** The file or source name, for error messages (default `"image"`). */
  readonly source?: string;
  /**
   * Channels wanted: 1 (grey) or 3 (RGB). Without it the image keeps its own channels (alpha
   * included).
   */
  readonly channels?: 1 | 3;
  /**
   * With `channels`: convert other channel counts (grey ↔ RGB, alpha dropped) when true (default),
   * throw an {@link ImageDecodeError} when false.
   */
  readonly convert?: boolean;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function decodeRaw(bytes: Uint8Array, source: string): DecodedImage {
  if (hasPngSignature(bytes)) {
    const png = decodePng(bytes);
    if (png.palette !== undefined) {
      const rgb = convertIndexedToRgb(png);
      const channels = rgb.length / (png.width * png.height);
      return { width: png.width, height: png.height, channels, data: Uint8Array.from(rgb) };
    }
    const n = png.width * png.height * png.channels;
    if (png.data.length !== n) {
      throw new ImageDecodeError(source, `PNG bit depth ${png.depth} is not supported`);
    }
    const data =
      png.depth === 16
        ? Uint8Array.from(png.data as Uint16Array, (v) => Math.round(v / 257))
        : Uint8Array.from(png.data);
    return { width: png.width, height: png.height, channels: png.channels, data };
  }
  if (isJpeg(bytes)) {
    const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: false });
    const channels = jpeg.data.length / (jpeg.width * jpeg.height);
    return { width: jpeg.width, height: jpeg.height, channels, data: jpeg.data };
  }
  throw new ImageDecodeError(source, 'not a PNG or JPEG file (unknown signature)');
}

/**
 * Decodes a PNG (any bit depth, palette, alpha) or JPEG image from its bytes, in Node and in the
 * browser (pure-JS codecs `fast-png` and `jpeg-js`). A corrupt file, or a channel count that is
 * not allowed, throws an {@link ImageDecodeError} naming the source.
 *
 * @example
 * const image = decodeImage(bytes, { source: 'coffee.png', channels: 3 });
 */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): DecodedImage {
  const source = options.source ?? 'image';
  let image: DecodedImage;
  try {
    image = decodeRaw(bytes, source);
  } catch (cause) {
    if (ImageDecodeError.isInstance(cause)) throw cause;
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ImageDecodeError(source, `corrupt image: ${detail}`, { cause });
  }
  if (
    !(image.width > 0 && image.height > 0) ||
    image.data.length !== image.width * image.height * image.channels
  ) {
    throw new ImageDecodeError(source, 'corrupt image: decoded size does not match its header');
  }
  if (options.channels === undefined || image.channels === options.channels) return image;
  if (options.convert === false) {
    throw new ImageDecodeError(
      source,
      `has ${image.channels} channels; expected ${options.channels}`,
    );
  }
  return convertChannels(image, options.channels, source);
}
