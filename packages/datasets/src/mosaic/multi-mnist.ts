import { ArgumentError, Rng } from '@mlap/tensor';
import type { MultiLabelData } from '../dataset.js';
import { digitCount, MNIST_PIXELS, type MnistDigits } from './mnist-digits.js';

/** Label names of the multi-MNIST task, in label order. */
export const MULTI_MNIST_LABELS: readonly string[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
];

/** Side of one mosaic in pixels (2 × 28). */
export const MOSAIC_SIDE = 56;

/** Options of {@link buildMultiMnist}. */
export interface MultiMnistOptions {
  /** Seed of the whole construction (default 0). */
  readonly seed?: number;
  /** Number of training mosaics (default 6000). */
  readonly train?: number;
  /** Number of validation mosaics (default 1000). */
  readonly validation?: number;
  /** Number of test mosaics (default 1000). */
  readonly test?: number;
  /**
   * Fractions of each digit's source images given to train, validation and test (default
   * [0.7, 0.1, 0.2]); the three source pools are disjoint.
   */
  readonly sourceFractions?: readonly [number, number, number];
}

/** The three splits of the multi-MNIST mosaic data set. */
export interface MultiMnist {
  /** Training mosaics. */
  readonly train: MultiLabelData;
  /** Validation mosaics (early stopping, threshold choice). */
  readonly validation: MultiLabelData;
  /** Test mosaics, from source digits used by no other split. */
  readonly test: MultiLabelData;
  /** The options it was built with, defaults filled in. */
  readonly options: Required<MultiMnistOptions>;
}

/** The defaults of {@link buildMultiMnist}. */
export const MULTI_MNIST_DEFAULTS: Required<MultiMnistOptions> = {
  seed: 0,
  train: 6000,
  validation: 1000,
  test: 1000,
  sourceFractions: [0.7, 0.1, 0.2],
};

const SPLITS = ['train', 'validation', 'test'] as const;

/**
 * The source images each split draws from: `pools[split][digit]` lists indices into
 * `digits.byDigit[digit]` (split 0 train, 1 validation, 2 test). The three pools of a digit are
 * disjoint, seeded slices of one shuffle.
 */
export function multiMnistSourcePools(
  digits: MnistDigits,
  seed: number,
  fractions: readonly number[] = MULTI_MNIST_DEFAULTS.sourceFractions,
): number[][][] {
  const pools: number[][][] = [[], [], []];
  for (let d = 0; d < 10; d++) {
    const n = digitCount(digits, d);
    const order = Rng.derive(seed, 1, d).shuffle(Array.from({ length: n }, (_, i) => i));
    const nTrain = Math.floor(n * (fractions[0] as number));
    const nVal = Math.floor(n * (fractions[1] as number));
    const cuts = [0, nTrain, nTrain + nVal, n];
    for (let s = 0; s < 3; s++) {
      const pool = order.slice(cuts[s], cuts[s + 1]);
      if (pool.length === 0) {
        throw new ArgumentError('sourceFractions', `leave no ${SPLITS[s]} image of digit ${d}`);
      }
      (pools[s] as number[][])[d] = pool;
    }
  }
  return pools;
}

function buildSplit(
  digits: MnistDigits,
  pools: number[][],
  seed: number,
  split: number,
  count: number,
): MultiLabelData {
  const side = MOSAIC_SIDE;
  const features = new Uint8Array(count * side * side);
  const labels = new Uint8Array(count * 10);
  const allDigits = Array.from({ length: 10 }, (_, d) => d);
  for (let i = 0; i < count; i++) {
    // One stream per sample: sample i does not depend on how many samples are built.
    const rng = Rng.derive(seed, 2, split, i);
    const k = rng.int(1, 4);
    const chosen = rng.sample(allDigits, k);
    const cells = rng.sample([0, 1, 2, 3], k);
    const base = i * side * side;
    chosen.forEach((d, c) => {
      const source = rng.choice(pools[d] as number[]);
      const pixels = (digits.byDigit[d] as Uint8Array).subarray(
        source * MNIST_PIXELS,
        (source + 1) * MNIST_PIXELS,
      );
      const cell = cells[c] as number;
      const top = (cell >> 1) * 28;
      const left = (cell & 1) * 28;
      for (let r = 0; r < 28; r++) {
        features.set(pixels.subarray(r * 28, r * 28 + 28), base + (top + r) * side + left);
      }
      labels[i * 10 + d] = 1;
    });
  }
  return {
    features,
    labels,
    count,
    sampleShape: [side, side, 1],
    labelNames: MULTI_MNIST_LABELS,
    range: { lo: 0, hi: 255 },
  };
}

/**
 * Builds the default multi-label image data set: 56×56×1 mosaics of 2×2 cells, each holding a real
 * MNIST digit or staying black; the labels are the set of digits present (10 labels, 1–4 per
 * image, all distinct). Fully determined by the seed and the counts (byte-identical on every
 * machine), and train, validation and test draw their digits from disjoint source images.
 *
 * Pixels are uint8 (0–255, `range` { lo: 0, hi: 255 }); {@link batches} maps them to the model's box.
 *
 * @example
 * const { train, test } = buildMultiMnist(await loadMnistDigits(), { seed: 0 });
 */
export function buildMultiMnist(digits: MnistDigits, options: MultiMnistOptions = {}): MultiMnist {
  const o = { ...MULTI_MNIST_DEFAULTS, ...options };
  for (const split of SPLITS) {
    const n = o[split];
    if (!Number.isInteger(n) || n < 0) {
      throw new ArgumentError(split, `must be a non-negative integer; got ${n}`);
    }
  }
  const f = o.sourceFractions;
  if (f.length !== 3 || f.some((v) => !(v > 0)) || f[0] + f[1] + f[2] > 1 + 1e-9) {
    throw new ArgumentError('sourceFractions', 'needs three positive fractions summing to ≤ 1');
  }
  if (digits.byDigit.length !== 10) {
    throw new ArgumentError('digits', `needs 10 digit classes; got ${digits.byDigit.length}`);
  }
  const pools = multiMnistSourcePools(digits, o.seed, f);
  const [train, validation, test] = SPLITS.map((split, s) =>
    buildSplit(digits, pools[s] as number[][], o.seed, s, o[split]),
  ) as [MultiLabelData, MultiLabelData, MultiLabelData];
  return { train, validation, test, options: o };
}
