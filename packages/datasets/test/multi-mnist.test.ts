import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildMultiMnist,
  decodeData,
  encodeData,
  labelsOf,
  MNIST_PIXELS,
  type MnistDigits,
  mnistDigitsFromJson,
  multiMnistSourcePools,
} from '../src/index.js';
import { defaultDatasetKey, loadDefaultDataset, loadMnistDigits } from '../src/node/index.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const small = { train: 120, validation: 30, test: 40 };

let digits: MnistDigits;
beforeAll(async () => {
  digits = await loadMnistDigits();
});

describe('multi-MNIST mosaics', () => {
  it('reads the 10,000 real digits of the mnist package', () => {
    const total = digits.byDigit.reduce((n, d) => n + d.length / MNIST_PIXELS, 0);
    expect(total).toBe(10_000);
  });

  it('is byte-identical for the same seed and differs for another', () => {
    const a = buildMultiMnist(digits, { seed: 7, ...small });
    const b = buildMultiMnist(digits, { seed: 7, ...small });
    const c = buildMultiMnist(digits, { seed: 8, ...small });
    for (const s of ['train', 'validation', 'test'] as const) {
      expect(sha(encodeData(a[s]))).toBe(sha(encodeData(b[s])));
      expect(sha(encodeData(a[s]))).not.toBe(sha(encodeData(c[s])));
    }
  });

  it('builds sample i independently of the split sizes', () => {
    const a = buildMultiMnist(digits, { seed: 3, ...small });
    const b = buildMultiMnist(digits, { seed: 3, train: 10, validation: 5, test: 5 });
    expect(Array.from(b.train.features)).toEqual(
      Array.from(a.train.features.subarray(0, 10 * 3136)),
    );
  });

  it('labels are the digits present, 1 to 4 per image, one per non-empty cell', () => {
    const { train } = buildMultiMnist(digits, { seed: 1, ...small });
    const counts = new Set<number>();
    for (let i = 0; i < train.count; i++) {
      const labels = labelsOf(train, i);
      counts.add(labels.length);
      let filled = 0;
      for (let cell = 0; cell < 4; cell++) {
        const top = (cell >> 1) * 28;
        const left = (cell & 1) * 28;
        let sum = 0;
        for (let r = 0; r < 28; r++) {
          for (let c = 0; c < 28; c++)
            sum += train.features[i * 3136 + (top + r) * 56 + left + c] as number;
        }
        if (sum > 0) filled++;
      }
      expect(filled).toBe(labels.length);
    }
    expect([...counts].sort()).toEqual([1, 2, 3, 4]);
    expect(train.sampleShape).toEqual([56, 56, 1]);
    expect(train.labelNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('draws train, validation and test from disjoint source digits', () => {
    const pools = multiMnistSourcePools(digits, 0);
    for (let d = 0; d < 10; d++) {
      const sets = pools.map((p) => new Set(p[d]));
      const total = sets.reduce((n, s) => n + s.size, 0);
      expect(new Set(pools.flatMap((p) => p[d] ?? [])).size).toBe(total);
      expect(sets[2]?.size).toBeGreaterThan(150);
    }
  });

  it('builds the full default data set in under 30 s', () => {
    const start = performance.now();
    const full = buildMultiMnist(digits, { seed: 0 });
    const seconds = (performance.now() - start) / 1000;
    expect(full.train.count).toBe(6000);
    expect(seconds).toBeLessThan(30);
  });

  it('rejects malformed mnist JSON', () => {
    const files = Array.from({ length: 10 }, () => ({ data: [0.5, 2] }));
    expect(() => mnistDigitsFromJson(files)).toThrow(/digits\/0\.json.*multiple of 784/);
  });
});

describe('loadDefaultDataset cache', () => {
  it('builds once, then reads the same bytes back; a damaged cache is rebuilt', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'mlap-ds-'));
    try {
      const first = await loadDefaultDataset({ cacheDir, seed: 5, ...small });
      const dir = join(cacheDir, defaultDatasetKey({ seed: 5, ...small }));
      expect((await readdir(dir)).sort()).toEqual(['test.bin', 'train.bin', 'validation.bin']);
      const second = await loadDefaultDataset({ cacheDir, seed: 5, ...small });
      expect(sha(encodeData(second.test))).toBe(sha(encodeData(first.test)));
      await writeFile(join(dir, 'test.bin'), 'garbage');
      const third = await loadDefaultDataset({ cacheDir, seed: 5, ...small });
      expect(sha(encodeData(third.test))).toBe(sha(encodeData(first.test)));
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it('decodeData rejects truncated bytes with a typed error', () => {
    const { test } = buildMultiMnist(digits, { seed: 0, train: 1, validation: 1, test: 2 });
    const bytes = encodeData(test);
    expect(() => decodeData(bytes.subarray(0, bytes.length - 3), 'x.bin')).toThrow(
      expect.objectContaining({ code: 'dataset-format', file: 'x.bin' }),
    );
  });
});
