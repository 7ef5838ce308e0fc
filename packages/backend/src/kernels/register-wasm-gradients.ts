import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { broadcastCompareConfig, comparisonKernels } from './broadcast-compare.js';
import {
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
} from './conv-gradient-kernels.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

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

/** The comparison kernels mlap wraps (see {@link broadcastCompareConfig}), by name. */
const wrappedComparisons = new Map<string, KernelFunc>();

function replace(config: KernelConfig): void {
  if (getKernel(config.kernelName, 'wasm') !== undefined) {
    unregisterKernel(config.kernelName, 'wasm');
  }
  registerKernel(config);
}

/** Wraps the backend's own comparison kernels once; later calls find the wrappers in place. */
function wrapComparisons(): void {
  for (const name of comparisonKernels) {
    const current = getKernel(name, 'wasm');
    if (current === undefined || current.kernelFunc === wrappedComparisons.get(name)) continue;
    const config = broadcastCompareConfig(name, current.kernelFunc);
    wrappedComparisons.set(name, config.kernelFunc);
    replace(config);
  }
}

/**
 * Registers {@link wasmGradientKernels} for the wasm backend, replacing the backend's own
 * versions, and speeds up its broadcasting comparisons (used by Max's gradient). Idempotent;
 * called by `setupBackend` whenever wasm is the active backend.
 */
export function registerWasmGradientKernels(): void {
  for (const config of wasmGradientKernels) {
    if (getKernel(config.kernelName, 'wasm')?.kernelFunc !== config.kernelFunc) replace(config);
  }
  wrapComparisons();
}

/** True when every kernel of {@link wasmGradientKernels} is mlap's on the wasm backend. */
export function wasmGradientKernelsRegistered(): boolean {
  const comparisons = comparisonKernels.every(
    (name) => getKernel(name, 'wasm')?.kernelFunc === wrappedComparisons.get(name),
  );
  const gradients = wasmGradientKernels.every(
    (c) => getKernel(c.kernelName, 'wasm')?.kernelFunc === c.kernelFunc,
  );
  return comparisons && gradients;
}
