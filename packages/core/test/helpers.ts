import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { defineModel, type MultiLabelModel } from '../src/index.js';

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

/** The minimum-norm r with W_C·r = t_C − g_C(x): r = W_Cᵀ (W_C W_Cᵀ)⁻¹ (t_C − g_C), in float64. */
export function closedFormStep(
  c: LinearCase,
  x: readonly number[],
  rows: readonly number[],
  t: readonly number[],
): number[] {
  const g = linearScores(c, x);
  const wc = rows.map((j) => c.w[j] ?? []);
  const k = rows.length;
  const gram = wc.flatMap((a) =>
    wc.map((bRow) => a.reduce((s, v, i) => s + v * (bRow[i] ?? 0), 0)),
  );
  const rhs = rows.map((j, p) => (t[p] ?? 0) - (g[j] ?? 0));
  const alpha = gaussSolve(gram, rhs, k);
  const d = x.length;
  return Array.from({ length: d }, (_, i) =>
    wc.reduce((s, row, p) => s + (row[i] ?? 0) * (alpha[p] ?? 0), 0),
  );
}

/** Independent dense solver for the oracle (Gauss–Jordan, no pivot tricks shared with src). */
function gaussSolve(a: number[], b: number[], n: number): number[] {
  const m = a.map((v) => v);
  const x = b.map((v) => v);
  for (let c = 0; c < n; c++) {
    const p = m[c * n + c] ?? 1;
    for (let k = 0; k < n; k++) m[c * n + k] = (m[c * n + k] ?? 0) / p;
    x[c] = (x[c] ?? 0) / p;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c] ?? 0;
      for (let k = 0; k < n; k++) m[r * n + k] = (m[r * n + k] ?? 0) - f * (m[c * n + k] ?? 0);
      x[r] = (x[r] ?? 0) - f * (x[c] ?? 0);
    }
  }
  return x;
}

/** Reads a tensor's values and disposes it. */
export async function take(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

/** Euclidean norm. */
export const norm2 = (v: readonly number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
