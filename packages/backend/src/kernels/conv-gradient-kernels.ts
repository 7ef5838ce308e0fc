import { filterGradientUnused } from '@mlap/tensor';
import {
  backend_util,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { convFilterGradient, depthwiseFilterGradient } from './filter-gradient.js';
import { compositeKernel, type KernelScope } from './kernel-scope.js';
import { convInputGradient, depthwiseInputGradient } from './transposed-conv.js';

type Shape4 = [number, number, number, number];

/** The forward convolution's geometry, from a gradient kernel's attributes. */
function forwardInfo(
  name: string,
  inputShape: Shape4,
  filterShape: Shape4,
  attrs: NamedAttrMap,
  depthwise: boolean,
): backend_util.Conv2DInfo {
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  // The backend's convolutions are NHWC only; graph models and mlap never produce NCHW here.
  if (dataFormat !== 'NHWC')
    throw new Error(`mlap ${name} on wasm supports NHWC only, got ${dataFormat}`);
  return backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides as [number, number] | number,
    (attrs.dilations as [number, number] | number | undefined) ?? 1,
    attrs.pad as Parameters<typeof backend_util.computeConv2DInfo>[4],
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    depthwise,
  );
}

type Body = (
  scope: KernelScope,
  a: TensorInfo,
  b: TensorInfo,
  info: backend_util.Conv2DInfo,
) => TensorInfo;

/** A gradient kernel of inputs (a, b) whose forward geometry is `shapes(a, b, attrs)`. */
function gradientKernel(
  kernelName: string,
  names: [string, string],
  shapes: (a: TensorInfo, b: TensorInfo, attrs: NamedAttrMap) => [Shape4, Shape4],
  depthwise: boolean,
  body: Body,
): KernelConfig {
  const kernelFunc = compositeKernel('wasm', (scope, inputs, attrs) => {
    const a = inputs[names[0]] as TensorInfo;
    const b = inputs[names[1]] as TensorInfo;
    const [inputShape, filterShape] = shapes(a, b, attrs);
    return body(scope, a, b, forwardInfo(kernelName, inputShape, filterShape, attrs, depthwise));
  });
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

const shape4 = (s: readonly number[]) => s as Shape4;

/** dx of a convolution: a forward convolution of the spread dy with the flipped filter. */
export const conv2DBackpropInputConfig = gradientKernel(
  Conv2DBackpropInput,
  ['dy', 'filter'],
  (_dy, filter, attrs) => [shape4(attrs.inputShape as number[]), shape4(filter.shape)],
  false,
  convInputGradient,
);

/**
 * Zeros of the filter's shape, in place of a filter gradient that mlap's backward pass says is
 * thrown away (a fused convolution's, whose filter does not depend on the input).
 */
function unusedFilterGradient(scope: KernelScope, shape: Shape4): TensorInfo {
  return scope.run('Fill', {}, { shape, value: 0, dtype: 'float32' });
}

/** `body`, unless the filter gradient is not wanted (see `filterGradientUnused`). */
function unlessUnused(body: Body, filterShape: (info: backend_util.Conv2DInfo) => Shape4): Body {
  return (scope, a, b, info) =>
    filterGradientUnused()
      ? unusedFilterGradient(scope, filterShape(info))
      : body(scope, a, b, info);
}

/** dW of a convolution: one matrix product per filter tap. */
export const conv2DBackpropFilterConfig = gradientKernel(
  Conv2DBackpropFilter,
  ['x', 'dy'],
  (x, _dy, attrs) => [shape4(x.shape), shape4(attrs.filterShape as number[])],
  false,
  unlessUnused(convFilterGradient, (i) => [
    i.filterHeight,
    i.filterWidth,
    i.inChannels,
    i.outChannels,
  ]),
);

/** dx of a depthwise convolution: a depthwise convolution of the spread dy, flipped filter. */
export const depthwiseBackpropInputConfig = gradientKernel(
  DepthwiseConv2dNativeBackpropInput,
  ['dy', 'filter'],
  (_dy, filter, attrs) => [shape4(attrs.inputShape as number[]), shape4(filter.shape)],
  true,
  depthwiseInputGradient,
);

/** dW of a depthwise convolution: per filter tap, window × dy summed over positions. */
export const depthwiseBackpropFilterConfig = gradientKernel(
  DepthwiseConv2dNativeBackpropFilter,
  ['x', 'dy'],
  (x, _dy, attrs) => [shape4(x.shape), shape4(attrs.filterShape as number[])],
  true,
  unlessUnused(depthwiseFilterGradient, (i) => [
    i.filterHeight,
    i.filterWidth,
    i.inChannels,
    i.outChannels / i.inChannels,
  ]),
);
