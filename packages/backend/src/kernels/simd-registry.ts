import { type HeapModule, type SimdKernels, startSimdKernels } from './simd-kernels.js';

/** Each tfjs wasm module's SIMD kernels; absent: not started, or out of reach. */
const started = new WeakMap<HeapModule, SimdKernels>();
/** Modules whose convolutions stay XNNPACK's (`setupBackend({ winograd: false })`). */
const winogradOff = new WeakSet<HeapModule>();
/** The kernels started last: tfjs runs one wasm backend at a time. */
let latest: SimdKernels | undefined;

/** The wasm backend's Emscripten module, if `backend` is a wasm backend. */
export function heapOf(backend: unknown): HeapModule | undefined {
  return (backend as { wasm?: HeapModule } | undefined)?.wasm;
}

/**
 * Starts mlap's SIMD kernels on a wasm backend computing on `threads` threads (once per
 * backend instance) and turns its Winograd convolutions on or off. Returns whether they run:
 * until this has run, and wherever the module cannot be started, the wrapped kernels use the
 * backend's own.
 */
export async function useSimdKernels(
  backend: unknown,
  options: { readonly threads?: number; readonly winograd?: boolean } = {},
): Promise<boolean> {
  const heap = heapOf(backend);
  if (heap === undefined) return false;
  if (started.get(heap) === undefined || started.get(heap) !== latest) {
    // A backend (new, or re-created on a heap whose helpers a later one stopped) takes over:
    // tfjs runs one wasm backend at a time, and idle helpers would hold the last one's heap.
    const kernels = await startSimdKernels(heap, options.threads ?? 1);
    if (kernels === undefined) return false;
    latest?.stopHelpers();
    latest = kernels;
    started.set(heap, kernels);
  }
  if (options.winograd === false) winogradOff.add(heap);
  else winogradOff.delete(heap);
  return options.winograd !== false;
}

/** The SIMD kernels of a wasm backend's module, if started. */
export function simdKernelsOf(heap: HeapModule): SimdKernels | undefined {
  return started.get(heap);
}

/** The SIMD kernels, if started and Winograd convolutions are on. */
export function winogradKernelsOf(heap: HeapModule): SimdKernels | undefined {
  return winogradOff.has(heap) ? undefined : started.get(heap);
}
