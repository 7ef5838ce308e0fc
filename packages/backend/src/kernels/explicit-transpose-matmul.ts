import {
  BatchMatMul,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { compositeKernel, type KernelScope } from './kernel-scope.js';

/** t with its last two axes swapped (a materialised transpose). */
function swapLastAxes(scope: KernelScope, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  return scope.transpose(t, perm);
}

/**
 * BatchMatMul whose transposed operands are transposed explicitly before the backend's own
 * product runs untransposed. tfjs-wasm 4.22 is several times slower with `transposeA` or
 * `transposeB` than without: the dense layer's input gradient dy·Wᵀ ([32, 20] ×
 * [20, 4096]) took 2.7–7.3 ms (min–median of 22 runs) against 0.95–1.2 ms with the transpose done first
 * (measured); a Transpose costs one pass over the operand.
 */
export function explicitTransposeMatMulConfig(own: KernelFunc): KernelConfig {
  const kernelFunc = compositeKernel('wasm', (scope, inputs, attrs: NamedAttrMap) => {
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const operands = {
      a: attrs.transposeA === true ? swapLastAxes(scope, a) : a,
      b: attrs.transposeB === true ? swapLastAxes(scope, b) : b,
    };
    const plain = { ...attrs, transposeA: false, transposeB: false };
    const out = own({ inputs: operands, attrs: plain, backend: scope.backend });
    const result = Array.isArray(out) ? out[0] : out;
    if (result === undefined) throw new Error('mlap: BatchMatMul returned no output');
    return result;
  });
  return {
    kernelName: BatchMatMul,
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
