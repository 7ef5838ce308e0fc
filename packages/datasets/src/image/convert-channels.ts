import { ImageDecodeError } from '../errors/image-decode-error.js';
import type { DecodedImage } from './decoded-image.js';

/**
 * Converts an image to 1 (grey, ITU-R BT.601 luma) or 3 (RGB) channels; alpha is dropped (not
 * composited). Throws an {@link ImageDecodeError} for channel counts other than 1–4.
 */
export function convertChannels(
  image: DecodedImage,
  channels: 1 | 3,
  source = 'image',
): DecodedImage {
  const c = image.channels;
  if (!Number.isInteger(c) || c < 1 || c > 4) {
    throw new ImageDecodeError(source, `has ${c} channels; only 1–4 can be converted`);
  }
  if (c === channels) return image;
  const n = image.width * image.height;
  const out = new Uint8Array(n * channels);
  const src = image.data;
  for (let p = 0; p < n; p++) {
    const i = p * c;
    const grey = c <= 2;
    const r = src[i] as number;
    const g = grey ? r : (src[i + 1] as number);
    const b = grey ? r : (src[i + 2] as number);
    if (channels === 3) {
      out[p * 3] = r;
      out[p * 3 + 1] = g;
      out[p * 3 + 2] = b;
    } else {
      out[p] = grey ? r : Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  return { width: image.width, height: image.height, channels, data: out };
}
