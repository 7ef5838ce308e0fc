/**
 * mlap's Winograd F(4×4, 3×3) convolution (wasm/winograd.c) against the cpu backend's Conv2D:
 * paddings, odd and even sizes, channel counts that fill no SIMD lane group, batches, non-finite
 * inputs. Runs in the `:wasm` projects (plain and threaded builds: the two module variants).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setupBackend } from '@mlap/backend';
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { simdSourceSha256 } from '../src/kernels/simd-binary.js';
import { SimdKernels } from '../src/kernels/simd-kernels.js';
import { expectMatchesCpu, onWasm, type Pad, random, runOn, type Shape4 } from './cpu-reference.js';

interface Case {
  readonly x: Shape4;
  readonly outChannels: number;
  readonly pad: Pad;
}

/** Sizes around the 4×4 tile (partial tiles on either axis), channels around 4 and 8. */
const cases: readonly Case[] = [
  { x: [1, 4, 4, 4], outChannels: 8, pad: 'same' },
  { x: [1, 7, 9, 3], outChannels: 5, pad: 'same' },
  { x: [2, 8, 6, 1], outChannels: 1, pad: 'valid' },
  { x: [3, 9, 10, 9], outChannels: 17, pad: 'same' },
  { x: [1, 3, 3, 2], outChannels: 3, pad: 'valid' },
  { x: [2, 13, 5, 16], outChannels: 12, pad: 'valid' },
  {
    x: [1, 11, 12, 6],
    outChannels: 9,
    pad: [
      [0, 0],
      [2, 0],
      [0, 3],
      [0, 0],
    ],
  },
  { x: [1, 18, 17, 33], outChannels: 40, pad: 'same' },
];

describe.skipIf(!onWasm)('Winograd convolution (wasm projects only: compared with cpu)', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-cpu');
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('was built from the committed C sources (pnpm build:wasm after editing them)', () => {
    const dir = new URL('../wasm/', import.meta.url);
    const sha256 = createHash('sha256');
    const sources = readdirSync(dir).filter((f) => f.endsWith('.c') || f.endsWith('.h'));
    for (const name of sources.sort()) {
      sha256.update(readFileSync(new URL(name, dir)));
    }
    expect(sha256.digest('hex')).toBe(simdSourceSha256);
  });

  it('computes 3×3 stride-1 Conv2D as cpu does, on every case', async () => {
    const conv = vi.spyOn(SimdKernels.prototype, 'conv');
    for (const [i, c] of cases.entries()) {
      const rng = Rng.derive(11, i);
      const inputs = { x: random(rng, c.x), filter: random(rng, [3, 3, c.x[3], c.outChannels]) };
      const attrs = { strides: 1, pad: c.pad, dataFormat: 'NHWC', dilations: 1 };
      await expectMatchesCpu('Conv2D', inputs, attrs);
    }
    // Every case ran through the module, none fell back to XNNPACK.
    expect(conv.mock.results.map((r) => r.value)).toEqual(cases.map(() => true));
  });

  it('leaves strided, dilated and other-sized filters to the backend', async () => {
    const conv = vi.spyOn(SimdKernels.prototype, 'conv');
    const rng = Rng.seeded(12);
    const x = random(rng, [1, 9, 9, 4]);
    const others = [
      { filter: [3, 3, 4, 4], attrs: { strides: 2, pad: 'same', dilations: 1 } },
      { filter: [3, 3, 4, 4], attrs: { strides: 1, pad: 'same', dilations: 2 } },
      { filter: [5, 5, 4, 4], attrs: { strides: 1, pad: 'same', dilations: 1 } },
      { filter: [1, 1, 4, 4], attrs: { strides: 1, pad: 'valid', dilations: 1 } },
    ].map((o) => ({ ...o, attrs: { ...o.attrs, dataFormat: 'NHWC' } }));
    for (const o of others) {
      await expectMatchesCpu('Conv2D', { x, filter: random(rng, o.filter) }, o.attrs);
    }
    expect(conv).not.toHaveBeenCalled();
  });

  it('gives a NaN or infinity the direct convolution’s reach (falls back to XNNPACK)', async () => {
    const conv = vi.spyOn(SimdKernels.prototype, 'conv');
    const rng = Rng.seeded(13);
    const x = random(rng, [1, 8, 8, 4]);
    x.values[(2 * 8 + 3) * 4 + 1] = Number.NaN;
    x.values[(6 * 8 + 6) * 4 + 2] = Number.POSITIVE_INFINITY;
    const filter = random(rng, [3, 3, 4, 4]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
    const ours = await runOn('wasm', 'Conv2D', { x, filter }, attrs);
    const cpu = await runOn('cpu', 'Conv2D', { x, filter }, attrs);
    await tf.setBackend('wasm');
    // Outputs whose 3×3 window misses both stay finite, and equal cpu's.
    const finite = (v: ArrayLike<number>) => Array.from(v, (e) => Number.isFinite(e));
    expect(finite(ours.values)).toEqual(finite(cpu.values));
    expect(finite(ours.values).filter(Boolean).length).toBeGreaterThan(100);
    expect(conv.mock.results.map((r) => r.value)).toEqual([false]);

    const badFilter = random(rng, [3, 3, 4, 4]);
    badFilter.values[5] = Number.NaN;
    await runOn('wasm', 'Conv2D', { x: random(rng, [1, 8, 8, 4]), filter: badFilter }, attrs);
    await tf.setBackend('wasm');
    expect(conv.mock.results.at(-1)?.value).toBe(false);
  });

  it('is off with setupBackend({ winograd: false }) and back on by default', async () => {
    const threads = Number(process.env.MLAP_WASM_THREADS ?? 1);
    const conv = vi.spyOn(SimdKernels.prototype, 'conv');
    const run = async () => {
      const x = tf.ones([1, 6, 6, 4]);
      const w = tf.ones([3, 3, 4, 2]);
      const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
      const values = await y.data();
      tf.dispose([x, w, y]);
      return values;
    };
    const off = await setupBackend({ backend: 'wasm', quiet: true, winograd: false });
    expect(off.winograd).toBe(false);
    const xnnpack = await run();
    expect(conv).not.toHaveBeenCalled();
    const on = await setupBackend({ backend: 'wasm', quiet: true, wasmThreads: threads });
    expect(on.winograd).toBe(true);
    const winograd = await run();
    for (const [i, v] of winograd.entries()) expect(v).toBeCloseTo(xnnpack[i] ?? Number.NaN, 4);
    expect(conv).toHaveBeenCalledTimes(1);
  });
});
