import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from './errors/argument-error.js';
import { ShapeError } from './errors/shape-error.js';
import { assertGradientsAvailable } from './gradients.js';

/**
 * A batched vector-valued function, e.g. a multi-label model: inputs [N, ...] → scores [N, L].
 * Samples must not interact (row i of the output depends only on row i of the input).
 */
export type BatchFunction = (x: tf.Tensor) => tf.Tensor;

/** How {@link batchedJacobian} organises its backward passes. */
export type JacobianStrategy = 'tiled' | 'perLabel';

/** Options of {@link batchedJacobian}. */
export interface JacobianOptions {
  /**
   * `'tiled'` (default): the batch is repeated once per label and one backward pass gives every
   * label's gradient; `'perLabel'`: one backward pass per label over the plain batch.
   */
  readonly strategy?: JacobianStrategy;
  /**
   * Tiled strategy only: most labels handled by one backward pass. Defaults to as many as keep the
   * tiled input under `maxTiledElements`.
   */
  readonly labelsPerPass?: number;
  /** Tiled strategy only: memory budget, in input elements, of one tiled pass (default 2^24). */
  readonly maxTiledElements?: number;
}

/** Scores and Jacobian returned by {@link batchedJacobian}. */
export interface JacobianResult {
  /** f(x): [N, L]. */
  readonly scores: tf.Tensor2D;
  /** ∂f_l(x_i)/∂x_i: [N, L, ...inputShape]. */
  readonly jacobian: tf.Tensor;
}

function scoresOf(f: BatchFunction, x: tf.Tensor): tf.Tensor2D {
  const y = f(x);
  if (y.rank !== 2 || y.shape[0] !== x.shape[0]) {
    throw new ShapeError('f(x)', y.shape, [x.shape[0] ?? 0, null], 'must have shape [N, L]');
  }
  return y as tf.Tensor2D;
}

/** Gradients of labels [from, from + m) for every sample, from one pass over an m-fold tiled batch. */
function tiledChunk(f: BatchFunction, x: tf.Tensor, from: number, m: number, labels: number) {
  return tf.tidy(() => {
    const [n = 0, ...inner] = x.shape;
    // Sample-major copies (row i·m + b is copy b of sample i): the gradient then reshapes to
    // [N, m, ...] directly, where label-major copies needed a transpose as slow as the tiling.
    // Concat, not tile: a plain copy on every backend (wasm's Tile is a slow generic loop).
    const copies = tf.concat(new Array<tf.Tensor>(m).fill(tf.expandDims(x, 1)), 1);
    const tiled = tf.reshape(copies, [n * m, ...inner]);
    // Copy b of every sample keeps only label from + b of its scores.
    const selector = tf.reshape(tf.slice(tf.eye(labels), [from, 0], [m, labels]), [1, m, labels]);
    const pick = (t: tf.Tensor) =>
      tf.sum(tf.mul(tf.reshape(scoresOf(f, t), [n, m, labels]), selector));
    return tf.reshape(tf.grad(pick)(tiled), [n, m, ...inner]);
  });
}

function perLabelGradient(f: BatchFunction, x: tf.Tensor, label: number): tf.Tensor {
  return tf.tidy(() => {
    // slice, not gather: gather's gradient needs UnsortedSegmentSum, which wasm lacks.
    const pick = (t: tf.Tensor) => tf.sum(tf.slice(scoresOf(f, t), [0, label], [-1, 1]));
    return tf.expandDims(tf.grad(pick)(x), 1);
  });
}

function chunkSize(x: tf.Tensor, labels: number, options: JacobianOptions): number {
  const { labelsPerPass, maxTiledElements = 2 ** 24 } = options;
  if (labelsPerPass !== undefined) {
    if (!Number.isInteger(labelsPerPass) || labelsPerPass < 1) {
      throw new ArgumentError('labelsPerPass', `must be an integer ≥ 1; got ${labelsPerPass}`);
    }
    return Math.min(labelsPerPass, labels);
  }
  return Math.max(1, Math.min(labels, Math.floor(maxTiledElements / Math.max(1, x.size))));
}

/**
 * Scores f(x) and the full Jacobian of every label w.r.t. every sample's input, batched.
 *
 * The default `'tiled'` strategy repeats the batch once per label and runs a single backward
 * pass (chunked to respect `maxTiledElements`), instead of one graph per label in a JavaScript
 * loop. Requires registered gradients (see {@link assertGradientsAvailable}).
 *
 * @param f - batched function, [N, ...] → [N, L], samples independent
 * @param x - inputs [N, ...]
 * @example
 * const { scores, jacobian } = batchedJacobian((x) => model.predict(x), images); // [N,L], [N,L,H,W,C]
 */
export function batchedJacobian(
  f: BatchFunction,
  x: tf.Tensor,
  options: JacobianOptions = {},
): JacobianResult {
  assertGradientsAvailable();
  if (x.rank < 1) throw new ShapeError('x', x.shape, undefined, 'needs a batch dimension');
  const strategy = options.strategy ?? 'tiled';
  if (strategy !== 'tiled' && strategy !== 'perLabel') {
    throw new ArgumentError('strategy', `must be 'tiled' or 'perLabel'; got ${String(strategy)}`);
  }
  const scores = tf.tidy(() => scoresOf(f, x));
  const labels = scores.shape[1];
  const jacobian = tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    if (strategy === 'perLabel') {
      for (let j = 0; j < labels; j++) parts.push(perLabelGradient(f, x, j));
    } else {
      const m = chunkSize(x, labels, options);
      for (let from = 0; from < labels; from += m) {
        parts.push(tiledChunk(f, x, from, Math.min(m, labels - from), labels));
      }
    }
    return parts.length === 1 ? (parts[0] as tf.Tensor) : tf.concat(parts, 1);
  });
  return { scores, jacobian };
}

/** Per-sample values and input gradients returned by {@link inputGradient}. */
export interface GradientResult {
  /** The per-sample values [N]. */
  readonly value: tf.Tensor1D;
  /** ∂value_i/∂x_i, same shape as x. */
  readonly gradient: tf.Tensor;
}

/**
 * Per-sample values of `loss` and their gradients w.r.t. the inputs, from one backward pass
 * (the gradient of the sum, which equals each sample's own gradient as samples are independent).
 *
 * @param loss - batched per-sample loss, [N, ...] → [N]
 * @param x - inputs [N, ...]
 */
export function inputGradient(loss: (x: tf.Tensor) => tf.Tensor1D, x: tf.Tensor): GradientResult {
  assertGradientsAvailable();
  let value: tf.Tensor1D | undefined;
  const gradient = tf.grad((t: tf.Tensor) => {
    const v = loss(t);
    if (v.rank !== 1 || v.shape[0] !== x.shape[0]) {
      throw new ShapeError('loss(x)', v.shape, [x.shape[0] ?? 0], 'must have one value per sample');
    }
    // Kept out of the forward scope: the caller receives it alongside the gradient.
    value = tf.keep(v);
    return tf.sum(v);
  })(x);
  return { value: value as tf.Tensor1D, gradient };
}
