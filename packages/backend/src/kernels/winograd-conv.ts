import {
  backend_util,
  Conv2D,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { ConvGeometry } from './simd-kernels.js';
import { type HeapBackend, heapOffsets, winogradKernelsOf } from './simd-registry.js';

/** The geometry Winograd F(4×4, 3×3) computes, or undefined for any other convolution. */
function winogradGeometry(
  x: TensorInfo,
  filter: TensorInfo,
  attrs: NamedAttrMap,
): ConvGeometry | undefined {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return undefined;
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides as [number, number] | number,
    (attrs.dilations as [number, number] | number | undefined) ?? 1,
    attrs.pad as Parameters<typeof backend_util.computeConv2DInfo>[4],
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const square3 = info.filterHeight === 3 && info.filterWidth === 3;
  const unit = info.strideHeight === 1 && info.strideWidth === 1;
  const undilated = info.dilationHeight === 1 && info.dilationWidth === 1;
  const sizes = [info.batchSize, info.outHeight, info.outWidth, info.inChannels, info.outChannels];
  if (!square3 || !unit || !undilated || sizes.some((s) => s <= 0)) return undefined;
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outChannels: info.outChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

interface ConvArgs {
  inputs: { x?: TensorInfo; filter?: TensorInfo };
  attrs?: NamedAttrMap;
  backend: HeapBackend;
}

/**
 * Wraps the wasm backend's Conv2D: 3×3, stride-1, undilated float32 convolutions (every layer
 * of the bench CNN, and the input gradients mlap computes as such convolutions) run as
 * Winograd F(4×4, 3×3) in mlap's own SIMD module, 2.3–2.5× faster than XNNPACK on one thread
 * on the bench CNN's 32- and 64-channel layers; anything else, or inputs holding NaN or
 * infinity, goes to the backend's own kernel.
 */
export function winogradConv2DConfig(own: KernelFunc): KernelConfig {
  const kernelFunc = (args: ConvArgs): TensorInfo | TensorInfo[] => {
    const ownKernel = () => own(args as unknown as Parameters<KernelFunc>[0]);
    const { inputs, attrs = {}, backend } = args;
    const { x, filter } = inputs;
    const engine = winogradKernelsOf(backend.wasm);
    if (x === undefined || filter === undefined || engine === undefined) return ownKernel();
    const g = winogradGeometry(x, filter, attrs);
    if (g === undefined) return ownKernel();
    const out = backend.makeOutput([g.batch, g.outHeight, g.outWidth, g.outChannels], 'float32');
    const at = heapOffsets(backend, [x, filter, out]);
    if (at && engine.conv(...at, g)) return out;
    backend.disposeData(out.dataId);
    return ownKernel();
  };
  return {
    kernelName: Conv2D,
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
