/**
 * mlap's wasm filter-gradient kernels honour `filterGradientUnused`: inside mlap's backward pass
 * a fused convolution's discarded filter gradient costs a zero fill instead of a convolution, and
 * the input gradient stays tf.grad's to the bit. wasm only: the cpu kernels are tfjs's own.
 */
import { inputGradient, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

const onWasm = process.env.MLAP_BACKEND === 'wasm';

/** Runs `f` while recording the sum of |values| of every Conv2DBackpropFilter output. */
async function filterGradientSums(f: () => Promise<void>): Promise<number[]> {
  const own = tf.getKernel('Conv2DBackpropFilter', 'wasm');
  if (own === undefined) throw new Error('no Conv2DBackpropFilter on wasm');
  const sums: number[] = [];
  tf.unregisterKernel(own.kernelName, 'wasm');
  tf.registerKernel({
    ...own,
    kernelFunc: (args) => {
      const out = own.kernelFunc(args) as tf.TensorInfo;
      const backend = args.backend as tf.KernelBackend;
      const values = backend.readSync(out.dataId) as Float32Array;
      sums.push(values.reduce((s, v) => s + Math.abs(v), 0));
      return out;
    },
  });
  try {
    await f();
  } finally {
    tf.unregisterKernel(own.kernelName, 'wasm');
    tf.registerKernel(own);
  }
  return sums;
}

describe.runIf(onWasm)('unused filter gradients on wasm', () => {
  it('are zero fills in mlap’s backward pass, real in tf.grad’s, with identical dx', async () => {
    const rng = Rng.seeded(5);
    const filter = rng.normalTensor([3, 3, 3, 8], 0, 0.5) as tf.Tensor4D;
    const bias = rng.normalTensor([8], 0, 0.1) as tf.Tensor1D;
    const x = rng.uniformTensor([2, 8, 8, 3], -1, 1);
    const loss = (t: tf.Tensor) =>
      tf.tidy(() => {
        const y = tf.fused.conv2d({ x: t as tf.Tensor4D, filter, strides: 2, pad: 'same', bias });
        return tf.sum(tf.square(tf.relu(y)), [1, 2, 3]) as tf.Tensor1D;
      });
    let reference: Float32Array = new Float32Array();
    let ours: Float32Array = new Float32Array();
    const sums = await filterGradientSums(async () => {
      const g = tf.grad((t: tf.Tensor) => tf.sum(loss(t)))(x);
      reference = (await g.data()) as Float32Array;
      const { value, gradient } = inputGradient(loss, x);
      ours = (await gradient.data()) as Float32Array;
      tf.dispose([g, value, gradient]);
    });
    tf.dispose([filter, bias, x]);
    expect(sums).toHaveLength(2);
    expect(sums[0]).toBeGreaterThan(0);
    expect(sums[1]).toBe(0);
    expect(Buffer.from(ours.buffer).equals(Buffer.from(reference.buffer))).toBe(true);
  });
});
