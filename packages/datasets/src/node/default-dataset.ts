import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MultiLabelData } from '../dataset.js';
import {
  buildMultiMnist,
  MULTI_MNIST_DEFAULTS,
  type MultiMnist,
  type MultiMnistOptions,
} from '../mosaic/multi-mnist.js';
import { decodeData, encodeData } from '../serialize.js';
import { defaultCacheDir } from './cache-dir.js';
import { loadMnistDigits } from './mnist-node.js';
import { readBytes } from './read-file.js';

/** Options of {@link loadDefaultDataset}. */
export interface DefaultDatasetOptions extends MultiMnistOptions {
  /** Cache folder (default {@link defaultCacheDir}); `false` disables the cache. */
  readonly cacheDir?: string | false;
}

/** Version of the construction; part of the cache key, bumped whenever the bytes would change. */
const VERSION = 1;
const SPLITS = ['train', 'validation', 'test'] as const;

/** The cache sub-folder of one construction (depends on every option that changes the bytes). */
export function defaultDatasetKey(options: MultiMnistOptions = {}): string {
  const o = { ...MULTI_MNIST_DEFAULTS, ...options };
  return `multi-mnist-v${VERSION}-seed${o.seed}-${o.train}-${o.validation}-${o.test}-${o.sourceFractions.join('_')}`;
}

async function readCached(dir: string): Promise<MultiLabelData[] | undefined> {
  try {
    return await Promise.all(
      SPLITS.map(async (s) =>
        decodeData(await readBytes(join(dir, `${s}.bin`)), join(dir, `${s}.bin`)),
      ),
    );
  } catch {
    return undefined; // missing or damaged cache: rebuild
  }
}

/**
 * The default multi-label data set (multi-MNIST mosaics, see `buildMultiMnist`), built from the
 * MNIST digits of the installed `mnist` package the first time it is needed and cached as three
 * small binary files (`train.bin`, `validation.bin`, `test.bin`, ≈ 25 MB with the defaults).
 * A damaged cache is rebuilt.
 *
 * @example
 * const { train, test } = await loadDefaultDataset(); // seed 0, 6000 / 1000 / 1000 mosaics
 */
export async function loadDefaultDataset(options: DefaultDatasetOptions = {}): Promise<MultiMnist> {
  const { cacheDir = defaultCacheDir(), ...build } = options;
  const o = { ...MULTI_MNIST_DEFAULTS, ...build };
  const dir = cacheDir === false ? undefined : join(cacheDir, defaultDatasetKey(o));
  if (dir !== undefined) {
    const cached = await readCached(dir);
    if (cached !== undefined) {
      const [train, validation, test] = cached as [MultiLabelData, MultiLabelData, MultiLabelData];
      return { train, validation, test, options: o };
    }
  }
  const built = buildMultiMnist(await loadMnistDigits(), o);
  if (dir !== undefined) {
    await mkdir(dir, { recursive: true });
    for (const s of SPLITS) {
      const tmp = join(dir, `${s}.bin.${process.pid}.tmp`);
      await writeFile(tmp, encodeData(built[s]));
      await rename(tmp, join(dir, `${s}.bin`));
    }
  }
  return built;
}
