import {
  BatchMatMul,
  Conv2D,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { aliasingCopyConfig, copyKernels } from './aliasing-copies.js';
import { broadcastCompareConfig, comparisonKernels } from './broadcast-compare.js';
import {
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
} from './conv-gradient-kernels.js';
import { explicitTransposeMatMulConfig } from './explicit-transpose-matmul.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';
import { winogradConv2DConfig } from './winograd-conv.js';

/**
 * mlap's gradient kernels for the wasm backend. The backend lacks Conv2DBackpropFilter, the
 * depthwise backprops and UnsortedSegmentSum (so real converted models cannot be
 * differentiated), its own Conv2DBackpropInput is a direct loop ~11× slower than the forward
 * convolution, and its MaxPoolGrad is wrong for windows whose maximum is ≤ 0 or tied; these are
 * composed of the backend's fast XNNPACK kernels, or are plain loops over the wasm heap.
 */
export const wasmGradientKernels: readonly KernelConfig[] = [
  conv2DBackpropInputConfig,
  conv2DBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  maxPoolGradConfig,
  unsortedSegmentSumConfig,
];

/**
 * The backend kernels mlap wraps, by name: comparisons (see {@link broadcastCompareConfig}),
 * copies (see {@link aliasingCopyConfig}), transposed products
 * (see {@link explicitTransposeMatMulConfig}) and 3×3 convolutions (see
 * {@link winogradConv2DConfig}).
 */
const wrappedKernels = new Map<string, KernelFunc>();

/** Each wrapped kernel's name and how its wrapper is made from the backend's own. */
const wrappers: readonly (readonly [string, (own: KernelFunc) => KernelConfig])[] = [
  ...comparisonKernels.map(
    (name) => [name, (own: KernelFunc) => broadcastCompareConfig(name, own)] as const,
  ),
  ...copyKernels.map((name) => [name, (own: KernelFunc) => aliasingCopyConfig(name, own)] as const),
  [BatchMatMul, explicitTransposeMatMulConfig],
  [Conv2D, winogradConv2DConfig],
];

function replace(config: KernelConfig): void {
  if (getKernel(config.kernelName, 'wasm') !== undefined) {
    unregisterKernel(config.kernelName, 'wasm');
  }
  registerKernel(config);
}

/** Wraps the backend's own kernels once; later calls find the wrappers in place. */
function wrapKernels(): void {
  for (const [name, wrap] of wrappers) {
    const current = getKernel(name, 'wasm');
    if (current === undefined || current.kernelFunc === wrappedKernels.get(name)) continue;
    const config = wrap(current.kernelFunc);
    wrappedKernels.set(name, config.kernelFunc);
    // The wrapper calls the backend's own kernel, whose set-up binds it to one backend instance:
    // a restarted wasm backend (another thread count) must run that set-up again.
    const { setupFunc, disposeFunc } = current;
    replace({
      ...config,
      ...(setupFunc && { setupFunc }),
      ...(disposeFunc && { disposeFunc }),
    });
  }
}

/**
 * Registers {@link wasmGradientKernels} for the wasm backend, replacing the backend's own
 * versions, speeds up its broadcasting comparisons (used by Max's gradient) and its transposed
 * matrix products (MatMul's gradient), routes 3×3 stride-1 convolutions to mlap's Winograd
 * module once it is started, and makes its Identity and same-dtype Cast share buffers
 * instead of copying them. Idempotent;
 * called by `setupBackend` whenever wasm is the active backend.
 */
export function registerWasmGradientKernels(): void {
  for (const config of wasmGradientKernels) {
    if (getKernel(config.kernelName, 'wasm')?.kernelFunc !== config.kernelFunc) replace(config);
  }
  wrapKernels();
}

/** True when every kernel of {@link wasmGradientKernels} is mlap's on the wasm backend. */
export function wasmGradientKernelsRegistered(): boolean {
  const wrapped = wrappers.every(
    ([name]) => getKernel(name, 'wasm')?.kernelFunc === wrappedKernels.get(name),
  );
  const gradients = wasmGradientKernels.every(
    (c) => getKernel(c.kernelName, 'wasm')?.kernelFunc === c.kernelFunc,
  );
  return wrapped && gradients;
}
