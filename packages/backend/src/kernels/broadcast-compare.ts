import {
  Add,
  backend_util,
  Equal,
  Fill,
  Greater,
  GreaterEqual,
  type KernelConfig,
  type KernelFunc,
  Less,
  LessEqual,
  type NamedTensorInfoMap,
  NotEqual,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { compositeKernel, type KernelScope } from './kernel-scope.js';

/** Comparison kernels whose broadcasting path on wasm is slow. */
export const comparisonKernels = [Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual] as const;

/** `t` at the full output shape: t + zeros broadcasts through the fast XNNPACK Add, exactly. */
function materialize(scope: KernelScope, t: TensorInfo, shape: number[]): TensorInfo {
  if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  const zeros = scope.run(Fill, {}, { shape, value: 0, dtype: t.dtype });
  return scope.run(Add, { a: t, b: zeros });
}

/**
 * A comparison kernel that broadcasts its operands itself before calling the backend's own.
 * tfjs-wasm 4.22 compares broadcast operands ~25× slower than equal shapes (measured: Equal of
 * [1,256,256,64] with [1,1,1,64] 536 ms, equal shapes 20 ms); Max's gradient hits exactly that
 * case (x against its reduced maximum), e.g. 227 ms of a CenterNet input gradient.
 */
export function broadcastCompareConfig(kernelName: string, own: KernelFunc): KernelConfig {
  const kernelFunc = compositeKernel('wasm', (scope, inputs, attrs) => {
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const same = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
    // bool has no Add; the rare bool comparison keeps the backend's own path.
    const direct = same || a.dtype === 'bool' || b.dtype === 'bool';
    const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const full: NamedTensorInfoMap = direct
      ? { a, b }
      : { a: materialize(scope, a, shape), b: materialize(scope, b, shape) };
    const out = own({ inputs: full, attrs, backend: scope.backend });
    const result = Array.isArray(out) ? out[0] : out;
    if (result === undefined) throw new Error(`mlap: ${kernelName} returned no output`);
    return result;
  });
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
