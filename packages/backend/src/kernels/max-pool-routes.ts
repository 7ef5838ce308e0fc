import type { backend_util } from '@tensorflow/tfjs-core';

/**
 * Where each pooling window's maximum is: for every output element, the index into x of the first
 * maximum of its window in row-major window order (as tfjs's cpu kernel and TensorFlow choose),
 * or −1 for a window of only NaN or −∞. MaxPoolGrad routes dy along these.
 */
export type PoolRoutes = Int32Array;

/** True for 2×2 windows at stride 2 that tile the input without padding, the usual CNN pooling. */
export function isPlain2x2(info: backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 2 &&
    info.filterWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0
  );
}

/** The index of the first maximum of x[i0], x[i1], x[i2], x[i3], or −1 (comparisons with NaN fail). */
function firstMax4(x: Float32Array, i0: number, i1: number, i2: number, i3: number): number {
  // Unrolled: this runs once per pooled output element.
  const v0 = x[i0] as number;
  const v1 = x[i1] as number;
  const v2 = x[i2] as number;
  const v3 = x[i3] as number;
  let best = Number.NEGATIVE_INFINITY;
  let at = -1;
  if (v0 > best) {
    best = v0;
    at = i0;
  }
  if (v1 > best) {
    best = v1;
    at = i1;
  }
  if (v2 > best) {
    best = v2;
    at = i2;
  }
  return v3 > best ? i3 : at;
}

/** Routes of a plain 2×2 / stride-2 pooling, the window's four taps unrolled. */
function routes2x2(x: Float32Array, info: backend_util.Conv2DInfo, at: PoolRoutes): void {
  const { inHeight: h, inWidth: w, inChannels: ch, outHeight: oh, outWidth: ow } = info;
  const rowStep = w * ch;
  let o = 0;
  for (let b = 0; b < info.batchSize; b++) {
    for (let r = 0; r < oh; r++) {
      for (let c = 0; c < ow; c++) {
        const base = ((b * h + 2 * r) * w + 2 * c) * ch;
        for (let d = 0; d < ch; d++, o++) {
          const i0 = base + d;
          at[o] = firstMax4(x, i0, i0 + ch, i0 + rowStep, i0 + rowStep + ch);
        }
      }
    }
  }
}

/**
 * Offsets into x of the in-bounds taps of the window of output (b, r, c), channel 0, in
 * row-major window order; returns how many there are.
 */
function windowTaps(
  info: backend_util.Conv2DInfo,
  b: number,
  r: number,
  c: number,
  taps: Int32Array,
): number {
  const { inHeight, inWidth, inChannels: ch } = info;
  const top = r * info.strideHeight - info.padInfo.top;
  const left = c * info.strideWidth - info.padInfo.left;
  let count = 0;
  for (let wr = 0; wr < info.effectiveFilterHeight; wr += info.dilationHeight) {
    const row = top + wr;
    if (row < 0 || row >= inHeight) continue;
    for (let wc = 0; wc < info.effectiveFilterWidth; wc += info.dilationWidth) {
      const col = left + wc;
      if (col < 0 || col >= inWidth) continue;
      taps[count++] = ((b * inHeight + row) * inWidth + col) * ch;
    }
  }
  return count;
}

/** Routes of any pooling geometry: each channel's running maximum over the window's taps. */
function routesGeneric(x: Float32Array, info: backend_util.Conv2DInfo, at: PoolRoutes): void {
  const ch = info.inChannels;
  const taps = new Int32Array(info.filterHeight * info.filterWidth);
  let o = 0;
  for (let b = 0; b < info.batchSize; b++) {
    for (let r = 0; r < info.outHeight; r++) {
      for (let c = 0; c < info.outWidth; c++) {
        const count = windowTaps(info, b, r, c, taps);
        for (let d = 0; d < ch; d++, o++) {
          let best = Number.NEGATIVE_INFINITY;
          let where = -1;
          for (let t = 0; t < count; t++) {
            const i = (taps[t] as number) + d;
            const v = x[i] as number;
            if (v > best) {
              best = v;
              where = i;
            }
          }
          at[o] = where;
        }
      }
    }
  }
}

/** The routes of pooling x [N, H, W, C] with geometry `info`. */
export function poolRoutes(x: Float32Array, info: backend_util.Conv2DInfo): PoolRoutes {
  const at = new Int32Array(info.batchSize * info.outHeight * info.outWidth * info.inChannels);
  if (isPlain2x2(info)) routes2x2(x, info, at);
  else routesGeneric(x, info, at);
  return at;
}

/**
 * Routes already computed, per pooled buffer (its dataId, alive while the tensor is) and
 * geometry. The backward passes of a retained tape, or of an attack's Jacobian, pool the same
 * saved input with one dy per label: the maxima are found once, every later pass only scatters.
 */
const cache = new WeakMap<object, { key: string; routes: PoolRoutes }>();

/** {@link poolRoutes} of the buffer `dataId`, computed on its first use with this geometry. */
export function cachedPoolRoutes(
  dataId: object,
  x: () => Float32Array,
  info: backend_util.Conv2DInfo,
): PoolRoutes {
  const key = JSON.stringify([
    info.inShape,
    info.outShape,
    info.padInfo,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
  ]);
  const hit = cache.get(dataId);
  if (hit?.key === key) return hit.routes;
  const routes = poolRoutes(x(), info);
  cache.set(dataId, { key, routes });
  return routes;
}
