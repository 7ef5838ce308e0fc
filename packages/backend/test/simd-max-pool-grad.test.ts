/**
 * MaxPoolGrad of 2×2 / stride-2 pooling in mlap's SIMD module (wasm/max-pool-grad.c) against
 * the JS routes it replaces (themselves checked against cpu in wasm-gradient-kernels.test.ts),
 * on the values where "first maximum" is delicate: ties, NaN, −∞, all-negative windows, odd
 * sizes, channel counts that fill no SIMD lane group.
 */
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { poolRoutes } from '../src/kernels/max-pool-routes.js';
import { SimdKernels } from '../src/kernels/simd-kernels.js';
import { onWasm, type Shape4 } from './cpu-reference.js';

/** x on a coarse grid (ties everywhere), with NaN, −∞ and all-negative spots. */
function awkward(rng: Rng, shape: Shape4): Float32Array {
  const x = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < x.length; i++) {
    const u = rng.uniform();
    x[i] = u < 0.05 ? Number.NaN : u < 0.1 ? Number.NEGATIVE_INFINITY : Math.round(u * 6) / 2 - 2;
  }
  return x;
}

/** dx by the JS routes: dy scattered to each window's first maximum. */
function byRoutes(x: Float32Array, dy: Float32Array, shape: Shape4): Float32Array {
  const info = tf.backend_util.computePool2DInfo(shape, 2, 2, 1, 'valid');
  const dx = new Float32Array(x.length);
  poolRoutes(x, info).forEach((at, o) => {
    if (at >= 0) dx[at] = (dx[at] ?? 0) + (dy[o] ?? 0);
  });
  return dx;
}

describe.skipIf(!onWasm)('SIMD MaxPoolGrad (2×2, stride 2)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('routes dy exactly as the JS routes do', async () => {
    const simd = vi.spyOn(SimdKernels.prototype, 'maxPoolGrad2x2');
    const shapes: Shape4[] = [
      [1, 4, 4, 4],
      [2, 5, 7, 3],
      [3, 6, 6, 9],
      [1, 9, 8, 1],
      [4, 8, 10, 13],
    ];
    for (const [i, shape] of shapes.entries()) {
      const rng = Rng.derive(21, i);
      const x = awkward(rng, shape);
      const info = tf.backend_util.computePool2DInfo(shape, 2, 2, 1, 'valid');
      const dy = Float32Array.from({ length: info.outShape.reduce((a, b) => a * b, 1) }, () =>
        rng.uniform(),
      );
      const [xt, dyt] = [tf.tensor(x, shape), tf.tensor(dy, info.outShape)];
      const attrs = { filterSize: 2, strides: 2, pad: 'valid' } as unknown as tf.NamedAttrMap;
      const out = tf.engine().runKernel('MaxPoolGrad', { dy: dyt, input: xt, output: dyt }, attrs);
      const ours = await (out as tf.Tensor).data();
      tf.dispose([out as tf.Tensor, xt, dyt]);
      expect(Array.from(ours), JSON.stringify(shape)).toEqual(Array.from(byRoutes(x, dy, shape)));
    }
    expect(simd).toHaveBeenCalledTimes(shapes.length);
  });
});
