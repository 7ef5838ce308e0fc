/**
 * Kernels of the wasm backend against the cpu backend's kernel of the same name: seeded random
 * inputs, and a comparison to 1e-4 of the largest reference value.
 */
import type { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** True in the `:wasm` projects, the only ones with a wasm kernel to compare. */
export const onWasm = process.env.MLAP_BACKEND === 'wasm';
/** An NHWC shape, or a filter's [KH, KW, in, out]. */
export type Shape4 = [number, number, number, number];
/** A convolution's padding attribute. */
export type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

export interface Input {
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array;
}

export function random(rng: Rng, shape: readonly number[]): Input {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform() * 2 - 1;
  return { shape, values };
}

/** Runs kernel `name` on the active backend and returns its output values. */
export async function runOn(
  backend: string,
  name: string,
  inputs: Record<string, Input>,
  attrs: object,
) {
  await tf.setBackend(backend);
  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [
      k,
      tf.tensor(v.values, [...v.shape], v.values instanceof Int32Array ? 'int32' : 'float32'),
    ]),
  );
  const out = tf.engine().runKernel(name, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = await out.data();
  const shape = out.shape;
  tf.dispose([out, ...Object.values(tensors)]);
  return { shape, values };
}

/** The cpu output of a kernel, computed with other inputs or attributes when need be. */
export interface Reference {
  readonly inputs: Record<string, Input>;
  readonly attrs: object;
  readonly pick?: (values: ArrayLike<number>) => number[];
}

/**
 * Asserts that kernel `name` on wasm matches cpu to 1e-4 of the largest reference value. The
 * cpu reference runs the same kernel, or the equivalent call `reference` describes.
 */
export async function expectMatchesCpu(
  name: string,
  inputs: Record<string, Input>,
  attrs: object,
  reference: Reference = { inputs, attrs },
) {
  const ours = await runOn('wasm', name, inputs, attrs);
  const cpu = await runOn('cpu', name, reference.inputs, reference.attrs);
  await tf.setBackend('wasm');
  const values = reference.pick?.(cpu.values) ?? Array.from(cpu.values);
  expectClose(name, attrs, ours.values, values);
}

export function expectClose(
  name: string,
  attrs: object,
  ours: ArrayLike<number>,
  reference: number[],
) {
  expect(ours.length).toBe(reference.length);
  let scale = 1e-6;
  let worst = 0;
  for (let i = 0; i < reference.length; i++) {
    scale = Math.max(scale, Math.abs(reference[i] ?? 0));
    worst = Math.max(worst, Math.abs((ours[i] ?? 0) - (reference[i] ?? 0)));
  }
  expect(worst / scale, `${name} ${JSON.stringify(attrs)}`).toBeLessThan(1e-4);
}
