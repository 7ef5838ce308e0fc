import type { DataId, TensorInfo } from '@tensorflow/tfjs-core';
import { type HeapModule, type SimdKernels, startSimdKernels } from './simd-kernels.js';

/** The slice of the wasm backend's API the kernels that call mlap's SIMD module use. */
export interface HeapBackend {
  readonly wasm?: HeapModule;
  readonly dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: string): TensorInfo;
  disposeData(dataId: DataId): boolean;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

/**
 * The SIMD kernels of the wasm backend started last (tfjs runs one at a time), the heap they
 * work on, and whether its convolutions run as Winograd.
 */
let current: { heap: HeapModule; kernels: SimdKernels; winograd: boolean } | undefined;

/** The wasm backend's Emscripten module, if `backend` is a wasm backend. */
export function heapOf(backend: unknown): HeapModule | undefined {
  return (backend as { wasm?: HeapModule } | undefined)?.wasm;
}

/** Byte offsets of `tensors` on the backend's heap; undefined if one is not there. */
export function heapOffsets<T extends readonly TensorInfo[]>(
  backend: HeapBackend,
  tensors: readonly [...T],
): { [K in keyof T]: number } | undefined {
  const offsets = tensors.map((t) => backend.dataIdMap.get(t.dataId)?.memoryOffset);
  return offsets.every((o) => o !== undefined)
    ? (offsets as { [K in keyof T]: number })
    : undefined;
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
  if (current?.heap !== heap) {
    // A backend (new, or re-created on an earlier heap) takes over: the last one's idle helpers
    // would otherwise hold its heap forever.
    current?.kernels.stopHelpers();
    current = undefined;
    const kernels = await startSimdKernels(heap, options.threads ?? 1);
    if (kernels === undefined) return false;
    current = { heap, kernels, winograd: true };
  }
  current.winograd = options.winograd !== false;
  return current.winograd;
}

/** The SIMD kernels of a wasm backend's module, if started. */
export function simdKernelsOf(heap: HeapModule | undefined): SimdKernels | undefined {
  return heap !== undefined && current?.heap === heap ? current.kernels : undefined;
}

/** The SIMD kernels, if started and Winograd convolutions are on. */
export function winogradKernelsOf(heap: HeapModule | undefined): SimdKernels | undefined {
  return current?.winograd ? simdKernelsOf(heap) : undefined;
}
