import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { ExplicitPad, KernelScope } from './kernel-scope.js';

/** Padding [before, after] of one axis; negative values crop. */
type AxisPad = [number, number];

/**
 * Spreads dy [N, OH, OW, C] onto a grid `strides` times finer, zeros between rows and columns:
 * [N, OH·sh, OW·sw, C] (the trailing zeros are cropped or used by {@link convPads}). Done as a
 * reshape–pad–reshape, so it costs one copy, then the gradient is a plain stride-1 convolution.
 */
function dilate(scope: KernelScope, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n = 0, oh = 0, ow = 0, c = 0] = dy.shape;
  const split = scope.reshape(dy, [n, oh, 1, ow, 1, c]);
  const spread = scope.pad(split, [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return scope.reshape(spread, [n, oh * sh, ow * sw, c]);
}

/**
 * Padding, along one axis, of the (dilated) dy that turns the input gradient into a stride-1
 * correlation with the flipped filter: x[i] gets dy[o]·w[k] wherever o·s + k·d − padBefore = i.
 */
function axisPad(inSize: number, padBefore: number, effFilter: number, length: number): AxisPad {
  const before = effFilter - 1 - padBefore;
  return [before, inSize + padBefore - length];
}

/** Crops `x` where a padding is negative (only with unusual explicit paddings). */
function cropNegative(scope: KernelScope, x: TensorInfo, rows: AxisPad, cols: AxisPad) {
  const [n = 0, h = 0, w = 0, c = 0] = x.shape;
  const top = Math.max(0, -rows[0]);
  const left = Math.max(0, -cols[0]);
  const height = h - top - Math.max(0, -rows[1]);
  const width = w - left - Math.max(0, -cols[1]);
  if (top === 0 && left === 0 && height === h && width === w) return x;
  return scope.slice(x, [0, top, left, 0], [n, height, width, c]);
}

/**
 * Padding and cropping of dy for the correlation that computes an input gradient, given the
 * forward convolution's geometry.
 */
function convPads(scope: KernelScope, dy: TensorInfo, info: backend_util.Conv2DInfo) {
  const dilated = dilate(scope, dy, info.strideHeight, info.strideWidth);
  const [, lh = 0, lw = 0] = dilated.shape;
  const rows = axisPad(info.inHeight, info.padInfo.top, info.effectiveFilterHeight, lh);
  const cols = axisPad(info.inWidth, info.padInfo.left, info.effectiveFilterWidth, lw);
  const input = cropNegative(scope, dilated, rows, cols);
  const pad: ExplicitPad = [
    [0, 0],
    [Math.max(0, rows[0]), Math.max(0, rows[1])],
    [Math.max(0, cols[0]), Math.max(0, cols[1])],
    [0, 0],
  ];
  return { input, pad };
}

/**
 * The input gradient of a convolution as a forward convolution: dy is spread by the strides,
 * padded, and correlated with the filter flipped spatially and with its channel axes swapped
 * ([KH, KW, outC, inC]); the backend's fast forward convolution then does all the work.
 */
export function convInputGradient(
  scope: KernelScope,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const flipped = scope.transpose(scope.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  const { input, pad } = convPads(scope, dy, info);
  const dilations: [number, number] = [info.dilationHeight, info.dilationWidth];
  return scope.conv2d(input, flipped, [1, 1], dilations, pad);
}

/**
 * The input gradient of a depthwise convolution as a depthwise convolution of the spread dy with
 * the flipped filter; with a channel multiplier m, each of the C·m gradient channels is
 * computed alone and the m belonging to one input channel are summed.
 */
export function depthwiseInputGradient(
  scope: KernelScope,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const [kh = 0, kw = 0, c = 0, m = 0] = filter.shape;
  const flipped = scope.reshape(scope.reverse(filter, [0, 1]), [kh, kw, c * m, 1]);
  const { input, pad } = convPads(scope, dy, info);
  const dilations: [number, number] = [info.dilationHeight, info.dilationWidth];
  const perOutput = scope.depthwiseConv2d(input, flipped, [1, 1], dilations, pad);
  if (m === 1) return perOutput;
  const [n = 0, h = 0, w = 0] = perOutput.shape;
  return scope.sum(scope.reshape(perOutput, [n, h, w, c, m]), [4]);
}
