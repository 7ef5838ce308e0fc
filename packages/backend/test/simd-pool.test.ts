/**
 * The helper-thread pool of mlap's SIMD kernels (simd-pool.node.ts) on a shared memory of its
 * own: a helper that takes its job computes it, and a helper that never takes one is skipped
 * rather than waited for (the caller alone finishes the work). Node only; needs no backend.
 */
import { Rng } from '@mlap/tensor';
import { describe, expect, it } from 'vitest';
import { simdExports } from '../src/kernels/simd-exports.js';
import { compileVariant } from '../src/kernels/simd-kernels.js';
import { type SimdPool, startSimdPool } from '../src/kernels/simd-pool.node.js';

type MaxPoolGrad = (...args: number[]) => number;
const [n, h, w, c] = [4, 6, 6, 5];
const image = h * w * c;
const pooled = (h / 2) * (w / 2) * c;
/** Byte offsets in the test memory: x, dy, dx, the shared work counter. */
const at = { x: 1024, dy: 1024 + 4 * n * image, dx: 1024 + 4 * n * (image + pooled), next: 512 };

/** dx of 2×2 / stride-2 max pooling: each window's dy at its first maximum (row-major). */
function expectedDx(x: Float32Array, dy: Float32Array): Float32Array {
  const dx = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let r = 0; r < h / 2; r++)
      for (let s = 0; s < w / 2; s++)
        for (let k = 0; k < c; k++) {
          const cells = [0, 1, 2, 3].map((q) => {
            const [i, j] = [2 * r + (q >> 1), 2 * s + (q & 1)];
            return ((b * h + i) * w + j) * c + k;
          });
          const first = cells.reduce((best, cell) =>
            (x[cell] ?? 0) > (x[best] ?? 0) ? cell : best,
          );
          dx[first] = dy[((b * (h / 2) + r) * (w / 2) + s) * c + k] ?? 0;
        }
  return dx;
}

/** The shared module on a fresh shared memory, one helper, and inputs written to the memory. */
async function setUp(seed: number) {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
  const module = await compileVariant('shared');
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const maxPoolGrad = instance.exports.max_pool_grad_2x2 as MaxPoolGrad;
  const rng = Rng.seeded(seed);
  const x = Float32Array.from({ length: n * image }, () => rng.uniform());
  const dy = Float32Array.from({ length: n * pooled }, () => rng.uniform());
  new Float32Array(memory.buffer, at.x, x.length).set(x);
  new Float32Array(memory.buffer, at.dy, dy.length).set(dy);
  const pool = (await startSimdPool(module, memory, 1)) as SimdPool;
  const args = [at.x, at.dy, at.dx, n, h, w, c, at.next];
  const job = [simdExports.indexOf('max_pool_grad_2x2'), ...args];
  const dx = () => new Float32Array(memory.buffer, at.dx, n * image);
  return { pool, job, own: () => maxPoolGrad(...args), dx, expected: expectedDx(x, dy) };
}

/** Blocks this thread for up to `ms` until `done()` holds (own() runs synchronously). */
function waitUntil(done: () => boolean, ms: number): void {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (const end = Date.now() + ms; !done() && Date.now() < end; ) Atomics.wait(nap, 0, 0, 5);
}

describe('SIMD helper-thread pool (Node)', () => {
  it('runs a job on a helper that takes it', async () => {
    const { pool, job, own, dx, expected } = await setUp(1);
    try {
      // The caller lets the helper finish first: every image is the helper's.
      const results = pool.run(() => {
        waitUntil(() => pool.helperRuns === 1, 20_000);
        return own();
      }, [job]);
      expect(pool.helperRuns).toBe(1);
      expect(results).toEqual([0, 0]);
      expect(Array.from(dx())).toEqual(Array.from(expected));
    } finally {
      await pool.stop();
    }
  });

  it('does not wait for a helper that never takes its job', async () => {
    const { pool, job, own, dx, expected } = await setUp(2);
    // Stopped helpers have exited: none can take the job, so the caller withdraws it and does
    // all the work (a pool that waited for them would hang here).
    await pool.stop();
    expect(pool.run(own, [job])).toEqual([0, 0]);
    expect(pool.helperRuns).toBe(0);
    expect(Array.from(dx())).toEqual(Array.from(expected));
  });
});
