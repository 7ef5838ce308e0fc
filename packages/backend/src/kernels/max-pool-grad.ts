import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { cachedPoolRoutes, isPlain2x2 } from './max-pool-routes.js';
import { type HeapBackend, heapOffsets, simdKernelsOf } from './simd-registry.js';

interface MaxPoolGradArgs {
  inputs: { dy?: TensorInfo; input?: TensorInfo };
  attrs?: Record<string, unknown>;
  backend: HeapBackend;
}

/**
 * MaxPoolGrad for wasm: dy routed to the first maximum of each window. Replaces the backend's
 * own kernel, which in tfjs 4.22 picks the wrong element when a window's maximum is ≤ 0 or tied
 * (measured: [-4, -3, -2, -1] → gradient to -4) and is slow. Plain 2×2 / stride-2 pooling runs
 * in mlap's SIMD module (one pass, on the backend's threads); other geometries find the
 * windows' maxima by a loop over the wasm heap (see {@link cachedPoolRoutes}: once per pooled
 * tensor, however many backward passes reuse it), then scatter dy along them.
 */
function maxPoolGrad({ inputs, attrs = {}, backend }: MaxPoolGradArgs): TensorInfo {
  const { dy, input } = inputs;
  if (dy === undefined || input === undefined) throw new Error('MaxPoolGrad: inputs dy, input');
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize as [number, number] | number,
    attrs.strides as [number, number] | number,
    1,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const out = backend.makeOutput([...input.shape], 'float32');
  const simd = isPlain2x2(info) ? simdKernelsOf(backend.wasm) : undefined;
  const at = simd && heapOffsets(backend, [input, dy, out]);
  if (simd && at) {
    simd.maxPoolGrad2x2(...at, input.shape);
    return out;
  }
  // Heap views only after the allocation that may grow (and so detach) the heap; readSync would
  // copy the inputs, which costs more than the whole loop on large batches.
  const routes = cachedPoolRoutes(input.dataId, () => backend.typedArrayFromHeap(input), info);
  const g = backend.typedArrayFromHeap(dy);
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  for (let o = 0; o < routes.length; o++) {
    const at = routes[o] as number;
    if (at >= 0) dx[at] = (dx[at] as number) + (g[o] as number);
  }
  return out;
}

/** The wasm kernel config of MaxPoolGrad. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
