/**
 * mlap's wasm gradient kernels against the cpu backend's kernels of the same name, on seeded
 * random shapes. Runs in the `:wasm` project only: on cpu there is nothing to compare.
 */
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { wasmGradientKernelsRegistered } from '../src/kernels/register-wasm-gradients.js';
import {
  expectClose,
  expectMatchesCpu,
  type Input,
  onWasm,
  type Pad,
  random,
  runOn,
  type Shape4,
} from './cpu-reference.js';

interface ConvCase {
  readonly x: Shape4;
  readonly filter: Shape4;
  readonly strides: number | [number, number];
  readonly pad: Pad;
  readonly dilations?: number | [number, number];
}

/** Batch 1 and > 1, odd and even sizes, strides 1–3, same/valid/explicit, 1×1 and even filters. */
const convCases: readonly ConvCase[] = [
  { x: [1, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 8, 6, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
  { x: [3, 9, 9, 4], filter: [3, 3, 4, 3], strides: 2, pad: 'valid' },
  { x: [1, 10, 7, 3], filter: [1, 1, 3, 2], strides: 1, pad: 'valid' },
  { x: [2, 6, 8, 2], filter: [2, 3, 2, 3], strides: 2, pad: 'same' },
  { x: [1, 11, 10, 2], filter: [5, 5, 2, 2], strides: [3, 2], pad: 'valid' },
  {
    x: [2, 6, 5, 3],
    filter: [3, 3, 3, 2],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { x: [2, 5, 5, 3], filter: [1, 1, 3, 4], strides: 2, pad: 'same' },
];

/** Depthwise cases add channel multipliers > 1 and dilations. */
const depthwiseCases: readonly ConvCase[] = [
  { x: [1, 7, 7, 3], filter: [3, 3, 3, 1], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 2], filter: [3, 3, 2, 2], strides: 2, pad: 'same' },
  { x: [1, 9, 7, 3], filter: [3, 3, 3, 1], strides: 2, pad: 'valid' },
  { x: [2, 8, 9, 2], filter: [3, 3, 2, 1], strides: 1, pad: 'same', dilations: 2 },
  { x: [1, 10, 10, 2], filter: [5, 5, 2, 3], strides: 1, pad: 'valid', dilations: [2, 1] },
  { x: [3, 6, 6, 4], filter: [2, 2, 4, 1], strides: 2, pad: 'valid' },
];

function pair(v: number | [number, number] | undefined): [number, number] {
  return typeof v === 'number' || v === undefined ? [v ?? 1, v ?? 1] : v;
}

/**
 * tfjs's cpu depthwise backprop kernels ignore dilations (and tfjs-core's gradients refuse
 * them), so dilated cases are checked against the undilated kernel with the filter spread out
 * with zeros, which is the same convolution.
 */
function spreadShape(c: ConvCase): Shape4 {
  const [dh, dw] = pair(c.dilations);
  const [kh, kw, ci, m] = c.filter;
  return [(kh - 1) * dh + 1, (kw - 1) * dw + 1, ci, m];
}

/** Maps each tap (i, j) of the dilated filter to its index in the spread one, per channel. */
function spreadIndex(c: ConvCase): number[] {
  const [dh, dw] = pair(c.dilations);
  const [kh, kw, ci, m] = c.filter;
  const [, sw] = spreadShape(c);
  const index: number[] = [];
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let k = 0; k < ci * m; k++) index.push((i * dh * sw + j * dw) * ci * m + k);
  return index;
}

function spreadFilter(c: ConvCase, filter: Input): Input {
  const values = new Float32Array(spreadShape(c).reduce((a, b) => a * b, 1));
  spreadIndex(c).forEach((to, from) => {
    values[to] = filter.values[from] ?? 0;
  });
  return { shape: spreadShape(c), values };
}

function outShape(c: ConvCase, depthwise: boolean): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    c.dilations ?? 1,
    c.pad,
    undefined,
    depthwise,
  );
  return info.outShape as Shape4;
}

describe.skipIf(!onWasm)('wasm gradient kernels (wasm project only: compared with cpu)', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-cpu');
  });

  it('are registered by setupBackend on wasm', () => {
    expect(wasmGradientKernelsRegistered()).toBe(true);
  });

  it('Conv2DBackpropInput matches cpu', async () => {
    for (const [i, c] of convCases.entries()) {
      const rng = Rng.derive(1, i);
      const inputs = { dy: random(rng, outShape(c, false)), filter: random(rng, c.filter) };
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
      await expectMatchesCpu('Conv2DBackpropInput', inputs, attrs);
    }
  });

  it('Conv2DBackpropFilter matches cpu', async () => {
    for (const [i, c] of convCases.entries()) {
      const rng = Rng.derive(2, i);
      const inputs = { x: random(rng, c.x), dy: random(rng, outShape(c, false)) };
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
      await expectMatchesCpu('Conv2DBackpropFilter', inputs, attrs);
    }
  });

  it('DepthwiseConv2dNativeBackpropInput matches cpu', async () => {
    for (const [i, c] of depthwiseCases.entries()) {
      const rng = Rng.derive(3, i);
      const inputs = { dy: random(rng, outShape(c, true)), filter: random(rng, c.filter) };
      const attrs = {
        strides: c.strides,
        pad: c.pad,
        dilations: c.dilations ?? 1,
        inputShape: c.x,
      };
      const reference = {
        inputs: { dy: inputs.dy, filter: spreadFilter(c, inputs.filter) },
        attrs: { ...attrs, dilations: 1 },
      };
      await expectMatchesCpu('DepthwiseConv2dNativeBackpropInput', inputs, attrs, reference);
    }
  });

  it('DepthwiseConv2dNativeBackpropFilter matches cpu', async () => {
    for (const [i, c] of depthwiseCases.entries()) {
      const rng = Rng.derive(4, i);
      const inputs = { x: random(rng, c.x), dy: random(rng, outShape(c, true)) };
      const attrs = {
        strides: c.strides,
        pad: c.pad,
        dilations: c.dilations ?? 1,
        filterShape: c.filter,
      };
      const taps = spreadIndex(c);
      const reference = {
        inputs,
        attrs: { ...attrs, dilations: 1, filterShape: spreadShape(c) },
        pick: (values: ArrayLike<number>) => taps.map((i) => values[i] ?? Number.NaN),
      };
      await expectMatchesCpu('DepthwiseConv2dNativeBackpropFilter', inputs, attrs, reference);
    }
  });

  it('MaxPoolGrad (mlap’s) and AvgPoolGrad (the backend’s own) match cpu', async () => {
    const cases = [
      { x: [2, 8, 8, 3], filterSize: 2, strides: 2, pad: 'valid' },
      { x: [1, 7, 9, 2], filterSize: 3, strides: 2, pad: 'same' },
      { x: [1, 6, 6, 2], filterSize: 3, strides: 1, pad: 'same' },
      // The unrolled 2×2 / stride-2 path: odd sizes leave a row and a column no window covers.
      { x: [3, 7, 5, 4], filterSize: 2, strides: 2, pad: 'valid' },
      { x: [2, 6, 4, 3], filterSize: 2, strides: 2, pad: 'valid' },
    ] as const;
    for (const [i, c] of cases.entries()) {
      const rng = Rng.derive(5, i);
      const x = random(rng, c.x);
      // Values on a coarse grid: many windows tie, or have a maximum ≤ 0 (where wasm's own erred).
      if (i === 2 || i === 4)
        x.values.forEach((v, k) => {
          x.values[k] = Math.round(v * 2) / 2;
        });
      const info = tf.backend_util.computePool2DInfo(
        c.x as unknown as Shape4,
        c.filterSize,
        c.strides,
        1,
        c.pad,
      );
      const dy = random(rng, info.outShape);
      const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
      await expectMatchesCpu('AvgPoolGrad', { dy, input: x }, attrs);
      // MaxPoolGrad routes dy to each window's maximum: the forward output is an input too.
      const output = await runOn('cpu', 'MaxPool', { x }, attrs);
      await tf.setBackend('wasm');
      const pooled = { shape: output.shape, values: Float32Array.from(output.values) };
      await expectMatchesCpu('MaxPoolGrad', { dy, input: x, output: pooled }, attrs);
    }
  });

  it('MaxPoolGrad reuses one input’s maxima for every dy, per pooling geometry', async () => {
    const rng = Rng.seeded(8);
    const x = random(rng, [2, 6, 6, 3]);
    const geometries = [
      { filterSize: 2, strides: 2, pad: 'valid' },
      { filterSize: 3, strides: 1, pad: 'same' },
    ] as const;
    // Same x tensor throughout on wasm: the second and later calls find its maxima cached.
    const xs = { wasm: tf.tensor(x.values, [...x.shape]) };
    const calls = geometries
      .flatMap((g) => [g, g])
      .map((attrs) => {
        const info = tf.backend_util.computePool2DInfo(
          [2, 6, 6, 3],
          attrs.filterSize,
          attrs.strides,
          1,
          attrs.pad,
        );
        return { attrs, dy: random(rng, info.outShape) };
      });
    for (const { attrs, dy } of [...calls, ...calls]) {
      const dyT = tf.tensor(dy.values, [...dy.shape]);
      const ours = tf
        .engine()
        .runKernel(
          'MaxPoolGrad',
          { dy: dyT, input: xs.wasm, output: dyT },
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor;
      const values = Array.from(await ours.data());
      tf.dispose([ours, dyT]);
      const output = await runOn('cpu', 'MaxPool', { x }, attrs);
      const pooled = { shape: output.shape, values: Float32Array.from(output.values) };
      const cpu = await runOn('cpu', 'MaxPoolGrad', { dy, input: x, output: pooled }, attrs);
      await tf.setBackend('wasm');
      expectClose('MaxPoolGrad (cached)', attrs, values, Array.from(cpu.values));
    }
    xs.wasm.dispose();
  });

  it('BatchMatMul with transposed operands matches cpu (explicit transposes on wasm)', async () => {
    const rng = Rng.seeded(9);
    // [batch, rows, inner] × [batch, inner, cols] in every transpose combination; batch 1 of b broadcasts.
    for (const [transposeA, transposeB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const a = random(rng, transposeA ? [3, 5, 4] : [3, 4, 5]);
      const b = random(rng, transposeB ? [1, 6, 5] : [1, 5, 6]);
      await expectMatchesCpu('BatchMatMul', { a, b }, { transposeA, transposeB });
    }
    const dy = random(rng, [7, 20]);
    const w = random(rng, [33, 20]);
    await expectMatchesCpu(
      'BatchMatMul',
      { a: { ...dy, shape: [1, 7, 20] }, b: { ...w, shape: [1, 33, 20] } },
      {
        transposeA: false,
        transposeB: true,
      },
    );
  });

  it('Identity and same-dtype Cast share the buffer and outlive their input', async () => {
    const x = tf.tensor([1.5, -2, 3], [3]);
    const copies = [tf.clone(x), tf.cast(x, 'float32'), tf.cast(x, 'int32')];
    const before = tf.memory().numTensors;
    x.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
    const values = await Promise.all(copies.map((t) => t.data()));
    expect(values.map((v) => Array.from(v))).toEqual([
      [1.5, -2, 3],
      [1.5, -2, 3],
      [1, -2, 3],
    ]);
    expect(copies.map((t) => t.dtype)).toEqual(['float32', 'float32', 'int32']);
    tf.dispose(copies);
  });

  it('UnsortedSegmentSum matches cpu, dropping out-of-range ids', async () => {
    const rng = Rng.seeded(6);
    const x = random(rng, [7, 2, 3]);
    const segmentIds = { shape: [7], values: Int32Array.from([0, 2, 2, -1, 1, 4, 2]) };
    await expectMatchesCpu('UnsortedSegmentSum', { x, segmentIds }, { numSegments: 4 });
  });

  it('make tf.grad of a strided, padded conv2d and of gather match cpu', async () => {
    const rng = Rng.seeded(7);
    const x = random(rng, [2, 9, 8, 3]);
    const w = random(rng, [3, 3, 3, 4]);
    const dw = random(rng, [3, 3, 4, 1]);
    const gradient = async (backend: string) => {
      await tf.setBackend(backend);
      const [xt, wt, dwt] = [x, w, dw].map((v) => tf.tensor(v.values, [...v.shape]));
      const g = tf.tidy(() =>
        tf.grad((t: tf.Tensor) => {
          const h = tf.conv2d(t as tf.Tensor4D, wt as tf.Tensor4D, 2, 'same');
          const d = tf.depthwiseConv2d(tf.relu(h), dwt as tf.Tensor4D, 1, 'same');
          return tf.sum(tf.gather(d, tf.tensor1d([1, 0, 1], 'int32'), 3));
        })(xt as tf.Tensor),
      );
      const values = await g.data();
      tf.dispose([g, xt, wt, dwt]);
      return values;
    };
    const reference = await gradient('cpu');
    const ours = await gradient('wasm');
    for (let i = 0; i < reference.length; i++) {
      expect(ours[i]).toBeCloseTo(reference[i] ?? Number.NaN, 4);
    }
  });
});
