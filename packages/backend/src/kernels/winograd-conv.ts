import {
  backend_util,
  Conv2D,
  type DataId,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { ConvGeometry, HeapModule } from './simd-kernels.js';
import { winogradKernelsOf } from './simd-registry.js';

/** The slice of the wasm backend's API the Winograd kernel uses. */
interface HeapBackend {
  readonly wasm: HeapModule;
  readonly dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: string): TensorInfo;
  disposeData(dataId: DataId): boolean;
}

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
 * Winograd F(4×4, 3×3) in mlap's own SIMD module, 2.4× faster than XNNPACK on one thread
 * (measured on the bench CNN's layers); anything else, or inputs holding NaN or infinity, goes
 * to the backend's own kernel.
 */
export function winogradConv2DConfig(own: KernelFunc): KernelConfig {
  const kernelFunc = (args: ConvArgs): TensorInfo | TensorInfo[] => {
    const { inputs, attrs = {}, backend } = args;
    const { x, filter } = inputs;
    const engine = winogradKernelsOf(backend.wasm);
    const geometry = x && filter && engine ? winogradGeometry(x, filter, attrs) : undefined;
    if (x === undefined || filter === undefined || engine === undefined || !geometry) {
      return own(args as unknown as Parameters<KernelFunc>[0]);
    }
    const g = geometry;
    const out = backend.makeOutput([g.batch, g.outHeight, g.outWidth, g.outChannels], 'float32');
    const [xAt, filterAt, outAt] = [x, filter, out].map(
      (t) => backend.dataIdMap.get(t.dataId)?.memoryOffset,
    );
    const known = xAt !== undefined && filterAt !== undefined && outAt !== undefined;
    if (known && engine.conv(xAt, filterAt, outAt, g)) return out;
    backend.disposeData(out.dataId);
    return own(args as unknown as Parameters<KernelFunc>[0]);
  };
  return {
    kernelName: Conv2D,
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
