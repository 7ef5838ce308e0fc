import type { SimdPool } from './simd-pool.node.js';

export type { SimdPool };

/**
 * Browsers get no helper threads: a page's main thread may not block on `Atomics.wait`, which
 * a synchronous tfjs kernel would need. mlap's SIMD kernels run on the calling thread.
 */
export async function startSimdPool(
  _module: WebAssembly.Module,
  _memory: WebAssembly.Memory,
  _helpers: number,
): Promise<SimdPool | undefined> {
  return undefined;
}
