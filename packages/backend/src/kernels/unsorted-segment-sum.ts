import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  UnsortedSegmentSum,
  util,
} from '@tensorflow/tfjs-core';

interface SegmentSumArgs {
  inputs: { x?: TensorInfo; segmentIds?: TensorInfo };
  attrs?: { numSegments?: number };
  backend: {
    makeOutput(shape: number[], dtype: string): TensorInfo;
    typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array;
  };
}

/**
 * UnsortedSegmentSum on wasm (the gradient of gather, missing from the backend): out[s] is the
 * sum of the rows x[i] with segmentIds[i] = s; segmentIds covers the leading axes of x, and ids
 * outside [0, numSegments) are dropped, as in TensorFlow. A scatter-add over the wasm heap in
 * JavaScript: one pass, memory-bound, no native kernel needed.
 */
function unsortedSegmentSum({ inputs, attrs, backend }: SegmentSumArgs): TensorInfo {
  const { x, segmentIds } = inputs;
  const numSegments = attrs?.numSegments ?? 0;
  if (x === undefined || segmentIds === undefined) throw new Error('UnsortedSegmentSum: inputs');
  const inner = util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  // Heap views, taken after the allocation that may grow (and so detach) the heap.
  const ids = backend.typedArrayFromHeap(segmentIds);
  const values = backend.typedArrayFromHeap(x);
  const sums = backend.typedArrayFromHeap(out);
  sums.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i] ?? -1;
    if (s < 0 || s >= numSegments) continue;
    for (let k = 0, from = i * inner, to = s * inner; k < inner; k++) {
      sums[to + k] = (sums[to + k] ?? 0) + (values[from + k] ?? 0);
    }
  }
  return out;
}

/** The wasm kernel config of UnsortedSegmentSum. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
