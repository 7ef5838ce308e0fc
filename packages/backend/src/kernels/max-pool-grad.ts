import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** The slice of the wasm backend's API this kernel uses. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

interface MaxPoolGradArgs {
  inputs: { dy?: TensorInfo; input?: TensorInfo };
  attrs?: Record<string, unknown>;
  backend: HeapBackend;
}

/**
 * Index into x of the maximum of one pooling window, per channel, for output (b, r, c): the
 * first maximum in row-major window order, as tfjs's cpu kernel (and TensorFlow) choose.
 */
function windowArgmax(
  x: ArrayLike<number>,
  info: backend_util.Conv2DInfo,
  b: number,
  r: number,
  c: number,
  best: Float64Array,
  where: Int32Array,
): void {
  const { inHeight, inWidth, inChannels: ch } = info;
  best.fill(Number.NEGATIVE_INFINITY);
  where.fill(-1);
  const top = r * info.strideHeight - info.padInfo.top;
  const left = c * info.strideWidth - info.padInfo.left;
  for (let wr = 0; wr < info.effectiveFilterHeight; wr += info.dilationHeight) {
    const row = top + wr;
    if (row < 0 || row >= inHeight) continue;
    for (let wc = 0; wc < info.effectiveFilterWidth; wc += info.dilationWidth) {
      const col = left + wc;
      if (col < 0 || col >= inWidth) continue;
      const base = ((b * inHeight + row) * inWidth + col) * ch;
      for (let d = 0; d < ch; d++) {
        const v = x[base + d] as number;
        if (v > (best[d] as number)) {
          best[d] = v;
          where[d] = base + d;
        }
      }
    }
  }
}

/**
 * MaxPoolGrad for wasm: dy routed to the first maximum of each window. Replaces the backend's
 * own kernel, which in tfjs 4.22 picks the wrong element when a window's maximum is ≤ 0 or tied
 * (measured: [-4, -3, -2, -1] → gradient to -4) and is slow; a channel-inner loop over the wasm
 * heap is exact and about as fast as the forward pooling.
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
  // Views of the heap, taken after the allocation that may grow (and so detach) it: readSync
  // would copy the inputs, which costs more than the whole loop on large batches.
  const x = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  const ch = info.inChannels;
  const best = new Float64Array(ch);
  const where = new Int32Array(ch);
  let o = 0;
  for (let b = 0; b < info.batchSize; b++) {
    for (let r = 0; r < info.outHeight; r++) {
      for (let c = 0; c < info.outWidth; c++, o += ch) {
        windowArgmax(x, info, b, r, c, best, where);
        for (let d = 0; d < ch; d++) {
          const at = where[d] as number;
          if (at >= 0) dx[at] = (dx[at] as number) + (g[o + d] as number);
        }
      }
    }
  }
  return out;
}

/** The wasm kernel config of MaxPoolGrad. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
