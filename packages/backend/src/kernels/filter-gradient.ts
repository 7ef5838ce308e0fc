import type { backend_util, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { ExplicitPad, KernelScope } from './kernel-scope.js';

/**
 * Rows (or columns) of zero padding after the input so that every filter tap k·d + o·s − before
 * of the forward convolution stays inside; negative when the forward pass never read the last
 * ones (a `valid` convolution whose stride does not divide the input).
 */
function padAfter(
  inSize: number,
  before: number,
  taps: number,
  d: number,
  outSize: number,
  s: number,
) {
  return (taps - 1) * d + (outSize - 1) * s + 1 - inSize - before;
}

function bottomPad(info: backend_util.Conv2DInfo): number {
  const { inHeight, padInfo, filterHeight, dilationHeight, outHeight, strideHeight } = info;
  return padAfter(inHeight, padInfo.top, filterHeight, dilationHeight, outHeight, strideHeight);
}

function rightPad(info: backend_util.Conv2DInfo): number {
  const { inWidth, padInfo, filterWidth, dilationWidth, outWidth, strideWidth } = info;
  return padAfter(inWidth, padInfo.left, filterWidth, dilationWidth, outWidth, strideWidth);
}

/** x without the rows and columns the forward convolution never read. */
function croppedInput(scope: KernelScope, x: TensorInfo, info: backend_util.Conv2DInfo) {
  const bottom = bottomPad(info);
  const right = rightPad(info);
  if (bottom >= 0 && right >= 0) return x;
  const [n = 0, h = 0, w = 0, c = 0] = x.shape;
  return scope.slice(x, [0, 0, 0, 0], [n, h + Math.min(0, bottom), w + Math.min(0, right), c]);
}

/** x padded (or cropped) so that the filter taps of the forward convolution all read inside it. */
function paddedInput(scope: KernelScope, x: TensorInfo, info: backend_util.Conv2DInfo) {
  const input = croppedInput(scope, x, info);
  const pads: [number, number][] = [
    [0, 0],
    [info.padInfo.top, Math.max(0, bottomPad(info))],
    [info.padInfo.left, Math.max(0, rightPad(info))],
    [0, 0],
  ];
  return pads.some(([a, b]) => a > 0 || b > 0) ? scope.pad(input, pads) : input;
}

/**
 * The filter gradient of a convolution, [KH, KW, inC, outC], as one matrix product per filter
 * tap: dW[kh, kw] = x_{kh,kw}ᵀ · dy over every sample and output position, where x_{kh,kw} is
 * the strided window of the padded input that tap read. A 1×1 stride-1 convolution needs no
 * window at all. The window is transposed explicitly: the wasm BatchMatMul is ~3× slower with
 * transposeA than a Transpose followed by its XNNPACK product.
 */
export function convFilterGradient(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inChannels, outChannels } = info;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const dyRows = scope.reshape(dy, [1, rows, outChannels]);
  const padded = paddedInput(scope, x, info);
  const taps: TensorInfo[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const window = tapWindow(scope, padded, info, i, j);
      const xCols = scope.transpose(scope.reshape(window, [rows, inChannels]), [1, 0]);
      taps.push(scope.matMul(scope.reshape(xCols, [1, inChannels, rows]), dyRows, false, false));
    }
  }
  const stacked = taps.length === 1 ? (taps[0] as TensorInfo) : concat(scope, taps);
  return scope.reshape(stacked, [kh, kw, inChannels, outChannels]);
}

/** The [N, OH, OW, C] window of the padded input read by filter tap (i, j). */
export function tapWindow(
  scope: KernelScope,
  padded: TensorInfo,
  info: backend_util.Conv2DInfo,
  i: number,
  j: number,
): TensorInfo {
  const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const top = i * info.dilationHeight;
  const left = j * info.dilationWidth;
  const [n = 0, h = 0, w = 0, c = 0] = padded.shape;
  if (sh === 1 && sw === 1 && oh === h && ow === w) return padded;
  if (sh === 1 && sw === 1) return scope.slice(padded, [0, top, left, 0], [n, oh, ow, c]);
  return scope.run(
    'StridedSlice',
    { x: padded },
    {
      begin: [0, top, left, 0],
      end: [n, top + (oh - 1) * sh + 1, left + (ow - 1) * sw + 1, c],
      strides: [1, sh, sw, 1],
      beginMask: 0,
      endMask: 0,
      ellipsisMask: 0,
      newAxisMask: 0,
      shrinkAxisMask: 0,
    },
  );
}

/** Concat takes its inputs as an array, unlike every other kernel. */
function concat(scope: KernelScope, parts: TensorInfo[]): TensorInfo {
  return scope.run('Concat', parts as unknown as NamedTensorInfoMap, { axis: 0 });
}

/**
 * The filter gradient of a depthwise convolution, [KH, KW, C, m], as one depthwise convolution
 * that slides dy over the padded input: samples move into channels (x → [1, H, W, N·C], dy →
 * an [OH, OW, N·C, m] filter), the forward strides become dilations and vice versa, and the
 * [1, KH, KW, N·C·m] result is summed over samples. ~5× faster on wasm than a product and a
 * reduction per filter tap, whose strided windows are copied in JavaScript.
 */
export function depthwiseFilterGradient(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c } = info;
  const { filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow } = info;
  const m = info.outChannels / c;
  const samplesInChannels = (t: TensorInfo, shape: number[]) =>
    n === 1 ? scope.reshape(t, shape) : scope.reshape(scope.transpose(t, [1, 2, 0, 3]), shape);
  const input = croppedInput(scope, samplesInChannels(x, [1, h, w, n * c]), info);
  const filter = samplesInChannels(dy, [oh, ow, n * c, m]);
  const pad: ExplicitPad = [
    [0, 0],
    [info.padInfo.top, Math.max(0, bottomPad(info))],
    [info.padInfo.left, Math.max(0, rightPad(info))],
    [0, 0],
  ];
  const strides: [number, number] = [info.dilationHeight, info.dilationWidth];
  const dilations: [number, number] = [info.strideHeight, info.strideWidth];
  const perSample = scope.depthwiseConv2d(input, filter, strides, dilations, pad);
  if (n === 1) return scope.reshape(perSample, [kh, kw, c, m]);
  return scope.sum(scope.reshape(perSample, [kh, kw, n, c * m]), [2]);
}
