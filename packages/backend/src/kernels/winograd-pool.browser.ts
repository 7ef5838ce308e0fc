import type { WinogradPool } from './winograd-pool.node.js';

export type { WinogradPool };

/**
 * Browsers get no helper threads: a page's main thread may not block on `Atomics.wait`, which
 * a synchronous tfjs kernel would need. The Winograd convolution runs on the calling thread.
 */
export async function startWinogradPool(
  _module: WebAssembly.Module,
  _memory: WebAssembly.Memory,
  _helpers: number,
): Promise<WinogradPool | undefined> {
  return undefined;
}
