/**
 * Test helpers shared by the attack packages' tests: a seeded linear multi-label model whose
 * float64 weights serve as the oracle.
 */

import { defineModel, type MultiLabelModel } from '@mlap/core';
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';

/** A linear multi-label model g(x) = W·x + b with its weights as float64 arrays (the oracle). */
export interface LinearCase {
  readonly model: MultiLabelModel;
  readonly w: number[][];
  readonly b: number[];
  readonly dispose: () => void;
}

/** Seeded linear model with L labels over d inputs, in a box wide enough to stay inactive. */
export function linearModel(
  seed: number,
  labels: number,
  d: number,
  box = { lo: -50, hi: 50 },
): LinearCase {
  const rng = Rng.seeded(seed);
  const w = Array.from({ length: labels }, () => Array.from({ length: d }, () => rng.normal()));
  const b = Array.from({ length: labels }, () => rng.normal(0, 0.5));
  const wT = tf.tensor2d(w);
  const bT = tf.tensor1d(b);
  const model = defineModel({
    scores: (x) => tf.add(tf.matMul(tf.reshape(x, [x.shape[0] ?? 0, d]), wT, false, true), bT),
    numLabels: labels,
    inputShape: [d],
    box,
  });
  return { model, w, b, dispose: () => tf.dispose([wT, bT]) };
}

/** g(x) = W·x + b in float64. */
export function linearScores(c: LinearCase, x: readonly number[]): number[] {
  return c.w.map((row, j) => row.reduce((s, v, k) => s + v * (x[k] ?? 0), c.b[j] ?? 0));
}

/** Reads a tensor's values and disposes it. */
export async function take(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}
