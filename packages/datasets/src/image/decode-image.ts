import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import { ImageDecodeError } from '../errors/image-decode-error.js';
import { convertChannels } from './convert-channels.js';
import type { DecodedImage } from './decoded-image.js';
import { isJpeg, isPng, readImageHeader } from './image-header.js';

/** Default pixel budget of {@link decodeImage}: 64 megapixels (width × height). */
export const DEFAULT_MAX_PIXELS = 64_000_000;

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
  /**
   * The most pixels (width × height, as the file's header declares them) an image may have; a
   * larger one is rejected with an {@link ImageDecodeError} before decoding, so a small file that
   * claims a huge image (a decompression bomb) allocates nothing. Default
   * {@link DEFAULT_MAX_PIXELS} (64 megapixels).
   */
  readonly maxPixels?: number;
}

function decodeRaw(bytes: Uint8Array, source: string, maxPixels: number): DecodedImage {
  if (isPng(bytes)) {
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
    const jpeg = decodeJpeg(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: Math.max(512, Math.ceil((maxPixels * 8) / 2 ** 20)),
    });
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
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const header = readImageHeader(bytes);
  if (typeof header === 'string') throw new ImageDecodeError(source, `corrupt image: ${header}`);
  if (header !== undefined) {
    const { width, height, format } = header;
    if (width === 0 || height === 0) {
      throw new ImageDecodeError(
        source,
        `corrupt image: ${format.toUpperCase()} header declares ${width}×${height}`,
      );
    }
    if (width * height > maxPixels) {
      throw new ImageDecodeError(
        source,
        `${format.toUpperCase()} header declares ${width}×${height} = ${width * height} pixels, ` +
          `over the budget of ${maxPixels} (raise maxPixels to allow it)`,
      );
    }
  }
  let image: DecodedImage;
  try {
    image = decodeRaw(bytes, source, maxPixels);
  } catch (cause) {
    if (ImageDecodeError.isInstance(cause)) throw cause;
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ImageDecodeError(source, `corrupt image: ${detail}`, { cause });
  }
  if (!(image.channels >= 1 && image.channels <= 4 && Number.isInteger(image.channels))) {
    throw new ImageDecodeError(
      source,
      `corrupt image: ${image.channels} channels (expected 1 to 4)`,
    );
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
