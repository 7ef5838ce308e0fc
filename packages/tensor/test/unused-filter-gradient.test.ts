/**
 * mlap's backward pass says when a fused convolution's filter gradient is thrown away
 * (`filterGradientUnused`), and only then; the input gradients stay tf.grad's, bit for bit. A spy
 * around the active backend's filter-gradient kernels records the hint at each call, on any
 * backend (the hint is honoured by mlap's wasm kernels, tested in @mlap/backend).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filterGradientUnused, inputGradient, Rng } from '../src/index.js';

const spied = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter'];
let hints: boolean[] = [];
let originals: tf.KernelConfig[] = [];

beforeEach(() => {
  hints = [];
  const backendName = tf.getBackend();
  originals = spied.flatMap((name) => {
    const own = tf.getKernel(name, backendName);
    if (own === undefined) return [];
    tf.unregisterKernel(name, backendName);
    tf.registerKernel({
      ...own,
      kernelFunc: (args) => {
        hints.push(filterGradientUnused());
        return own.kernelFunc(args);
      },
    });
    return [own];
  });
});

afterEach(() => {
  for (const own of originals) {
    tf.unregisterKernel(own.kernelName, own.backendName);
    tf.registerKernel(own);
  }
});

/** Both ways of taking the per-sample input gradient of `loss`, as float32 bytes. */
async function bothGradients(loss: (t: tf.Tensor) => tf.Tensor1D, x: tf.Tensor) {
  const reference = tf.grad((t: tf.Tensor) => tf.sum(loss(t)))(x);
  const { value, gradient } = inputGradient(loss, x);
  const bytes = async (t: tf.Tensor) => Buffer.from((await t.data()).buffer);
  const result = { ours: await bytes(gradient), reference: await bytes(reference) };
  tf.dispose([reference, value, gradient]);
  return result;
}

describe('filterGradientUnused', () => {
  it('is false outside a backward pass', () => {
    expect(filterGradientUnused()).toBe(false);
  });

  it('is true while a fused conv with a constant filter is differentiated, and dx is unchanged', async () => {
    const rng = Rng.seeded(3);
    const filter = rng.normalTensor([3, 3, 2, 4], 0, 0.5) as tf.Tensor4D;
    const depthwise = rng.normalTensor([3, 3, 4, 1], 0, 0.5) as tf.Tensor4D;
    const bias = rng.normalTensor([4], 0, 0.1) as tf.Tensor1D;
    // With neither bias nor activation tfjs runs the plain (unfused) op, whose gradient computes
    // only what is needed: both convolutions get a bias.
    const depthwiseBias = rng.normalTensor([4], 0, 0.1) as tf.Tensor1D;
    const x = rng.uniformTensor([2, 6, 6, 2], -1, 1);
    const loss = (t: tf.Tensor) =>
      tf.tidy(() => {
        // Fused in gradient mode only with a linear activation (tfjs's shouldFuse), as in
        // converted graph models: the nonlinearity is applied outside.
        const h = tf.relu(
          tf.fused.conv2d({ x: t as tf.Tensor4D, filter, strides: 1, pad: 'same', bias }),
        );
        const d = tf.fused.depthwiseConv2d({
          x: h,
          filter: depthwise,
          strides: 1,
          pad: 'same',
          bias: depthwiseBias,
        });
        return tf.sum(tf.square(d), [1, 2, 3]) as tf.Tensor1D;
      });
    const { ours, reference } = await bothGradients(loss, x);
    tf.dispose([filter, depthwise, bias, depthwiseBias, x]);
    expect(ours.equals(reference)).toBe(true);
    // tf.grad computes both filter gradients; mlap's pass hints that it may skip them.
    expect(hints).toEqual([false, false, true, true]);
    expect(filterGradientUnused()).toBe(false);
  });

  it('stays false when the filter depends on the input, whose gradient then flows through it', async () => {
    const rng = Rng.seeded(4);
    const x = rng.uniformTensor([1, 5, 5, 2], -1, 1);
    const loss = (t: tf.Tensor) =>
      tf.tidy(() => {
        // A 1×1 filter made from the input's mean per channel: dFilter feeds dx.
        const filter = tf.reshape(tf.mean(t, [0, 1, 2]), [1, 1, 2, 1]) as tf.Tensor4D;
        const bias = tf.tensor1d([0.5]);
        const y = tf.fused.conv2d({ x: t as tf.Tensor4D, filter, strides: 1, pad: 'valid', bias });
        return tf.sum(tf.square(y), [1, 2, 3]) as tf.Tensor1D;
      });
    const { ours, reference } = await bothGradients(loss, x);
    x.dispose();
    expect(ours.equals(reference)).toBe(true);
    expect(hints).toEqual([false, false]);
  });
});
