import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from './errors/argument-error.js';
import { ShapeError } from './errors/shape-error.js';
import { assertGradientsAvailable } from './gradients.js';
import { recordVjp } from './recorded-vjp.js';

/**
 * A batched vector-valued function, e.g. a multi-label model: inputs [N, ...] → scores [N, L].
 * Samples must not interact (row i of the output depends only on row i of the input).
 */
export type BatchFunction = (x: tf.Tensor) => tf.Tensor;

/** How {@link batchedJacobian} organises its backward passes. */
export type JacobianStrategy = 'auto' | 'retained' | 'tiled' | 'perLabel';

/** Options of {@link batchedJacobian}. */
export interface JacobianOptions {
  /**
   * `'retained'`: one recorded forward pass, then one backward pass per label over the plain
   * batch (PyTorch's `retain_graph`; see {@link recordVjp}); `'tiled'`: the batch is repeated
   * once per label and one forward and one backward pass give every label's gradient;
   * `'perLabel'`: a forward and a backward pass per label. `'auto'` (default): `'retained'` for
   * batches of at least {@link RETAINED_MIN_ELEMENTS} input values or a single chosen label,
   * `'tiled'` for smaller batches, whose many small passes cost more in per-kernel overhead
   * than the tiled forward pass; `'tiled'` too where tfjs cannot retain (inside another gradient).
   */
  readonly strategy?: JacobianStrategy;
  /**
   * The labels whose gradients are wanted, in this order (default: all): the Jacobian is then
   * [N, labels.length, ...] and costs that many labels' passes. The scores are always all L.
   */
  readonly labels?: readonly number[];
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
  /** ∂f_l(x_i)/∂x_i: [N, L, ...inputShape] (L = `labels.length` when labels are chosen). */
  readonly jacobian: tf.Tensor;
}

const strategies: readonly JacobianStrategy[] = ['auto', 'retained', 'tiled', 'perLabel'];

/**
 * Smallest batch, in input values, for which `'auto'` retains the tape. Measured on wasm (median
 * of 10): retained faster at 49k values (CNN 64×16×16×3, 10 labels: 121 vs 184 ms) and above
 * (205k: 40 vs 46 ms; 98k: 1.8×), tiled faster at 18.8k (MLP 64×294, 6 labels: 6.2 vs 7.8 ms)
 * and below (768: 10 vs 19 ms).
 */
export const RETAINED_MIN_ELEMENTS = 2 ** 15;

function prefersRetained(x: tf.Tensor, options: JacobianOptions): boolean {
  const { strategy = 'auto', labels } = options;
  if (strategy !== 'auto') return strategy === 'retained';
  return x.size >= RETAINED_MIN_ELEMENTS || labels?.length === 1;
}

function scoresOf(f: BatchFunction, x: tf.Tensor): tf.Tensor2D {
  const y = f(x);
  if (y.rank !== 2 || y.shape[0] !== x.shape[0]) {
    throw new ShapeError('f(x)', y.shape, [x.shape[0] ?? 0, null], 'must have shape [N, L]');
  }
  return y as tf.Tensor2D;
}

/** Rows `labels` of the L×L identity: row b selects label labels[b]. */
function selectorRows(labels: readonly number[], count: number): tf.Tensor2D {
  return tf.tidy(() => tf.gather(tf.eye(count), tf.tensor1d([...labels], 'int32')));
}

/** Gradients of `chunk` (m labels) for every sample, from one pass over an m-fold tiled batch. */
function tiledChunk(f: BatchFunction, x: tf.Tensor, chunk: readonly number[], labels: number) {
  return tf.tidy(() => {
    const [n = 0, ...inner] = x.shape;
    const m = chunk.length;
    // Sample-major copies (row i·m + b is copy b of sample i): the gradient then reshapes to
    // [N, m, ...] directly, where label-major copies needed a transpose as slow as the tiling.
    // Concat, not tile: a plain copy on every backend (wasm's Tile is a slow generic loop).
    const copies = tf.concat(new Array<tf.Tensor>(m).fill(tf.expandDims(x, 1)), 1);
    const tiled = tf.reshape(copies, [n * m, ...inner]);
    // Copy b of every sample keeps only label chunk[b] of its scores.
    const selector = tf.reshape(selectorRows(chunk, labels), [1, m, labels]);
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

/** `options.labels` checked against the L labels of f, or every label. */
function chosenLabels(options: JacobianOptions, count: number): number[] {
  const { labels } = options;
  if (labels === undefined) return Array.from({ length: count }, (_, j) => j);
  const bad = labels.find((j) => !Number.isInteger(j) || j < 0 || j >= count);
  if (bad !== undefined) {
    throw new ArgumentError('labels', `must be label indices in [0, ${count}); got ${bad}`);
  }
  return [...labels];
}

function checkStrategy(options: JacobianOptions): JacobianStrategy {
  const strategy = options.strategy ?? 'auto';
  if (!strategies.includes(strategy)) {
    const names = strategies.map((s) => `'${s}'`).join(', ');
    throw new ArgumentError('strategy', `must be one of ${names}; got ${String(strategy)}`);
  }
  return strategy;
}

/** Gradients of `labels` by the tiled or per-label strategy, [N, labels.length, ...]. */
function replayedJacobian(
  f: BatchFunction,
  x: tf.Tensor,
  labels: readonly number[],
  count: number,
  options: JacobianOptions,
): tf.Tensor {
  return tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    if (options.strategy === 'perLabel') {
      for (const j of labels) parts.push(perLabelGradient(f, x, j));
    } else {
      const m = chunkSize(x, Math.max(1, labels.length), options);
      for (let from = 0; from < labels.length; from += m) {
        parts.push(tiledChunk(f, x, labels.slice(from, from + m), count));
      }
    }
    return joinLabels(parts, x);
  });
}

/** Per-label gradients [N, 1, ...] (or chunks) joined along the label axis. */
function joinLabels(parts: tf.Tensor[], x: tf.Tensor): tf.Tensor {
  if (parts.length === 0) return tf.zeros([x.shape[0] ?? 0, 0, ...x.shape.slice(1)]);
  return parts.length === 1 ? (parts[0] as tf.Tensor) : tf.concat(parts, 1);
}

/**
 * The retained strategy: one recorded forward pass, one backward pass per label whose cotangent
 * is that label's column of ones. Undefined where tfjs cannot retain the tape.
 */
function retainedJacobian(
  f: BatchFunction,
  x: tf.Tensor,
  options: JacobianOptions,
): JacobianResult | undefined {
  const recorded = recordVjp((t) => scoresOf(f, t), x);
  if (recorded === undefined) return undefined;
  const scores = recorded.value as tf.Tensor2D;
  try {
    const [n = 0, count = 0] = scores.shape;
    const labels = chosenLabels(options, count);
    const jacobian = tf.tidy(() => {
      const column = tf.ones([n, 1]);
      const rows = selectorRows(labels, count);
      const parts = labels.map((_, b) =>
        tf.tidy(() => {
          const cotangent = tf.mul(column, tf.slice(rows, [b, 0], [1, count]));
          return tf.expandDims(recorded.vjp(cotangent), 1);
        }),
      );
      return joinLabels(parts, x);
    });
    return { scores, jacobian };
  } catch (error) {
    scores.dispose();
    throw error;
  } finally {
    recorded.dispose();
  }
}

/**
 * Scores f(x) and the Jacobian of every label (or of `options.labels`) w.r.t. every sample's
 * input, batched.
 *
 * On all but small batches the default strategy records one forward pass and runs one backward
 * pass per label over the plain batch (see {@link JacobianOptions.strategy} for the others, all
 * giving the same values).
 * Requires registered gradients (see {@link assertGradientsAvailable}).
 *
 * @param f - batched function, [N, ...] → [N, L], samples independent
 * @param x - inputs [N, ...]
 * @example
 * const { scores, jacobian } = batchedJacobian((x) => model.predict(x), images); // [N,L], [N,L,H,W,C]
 * const some = batchedJacobian(model.predict, images, { labels: [3, 7] }); // jacobian [N,2,H,W,C]
 */
export function batchedJacobian(
  f: BatchFunction,
  x: tf.Tensor,
  options: JacobianOptions = {},
): JacobianResult {
  assertGradientsAvailable();
  if (x.rank < 1) throw new ShapeError('x', x.shape, undefined, 'needs a batch dimension');
  const strategy = checkStrategy(options);
  if (options.labelsPerPass !== undefined) chunkSize(x, 1, options); // validated early
  if (prefersRetained(x, { ...options, strategy })) {
    const retained = retainedJacobian(f, x, options);
    if (retained !== undefined) return retained;
  }
  const scores = tf.tidy(() => scoresOf(f, x));
  try {
    const count = scores.shape[1];
    const labels = chosenLabels(options, count);
    return { scores, jacobian: replayedJacobian(f, x, labels, count, options) };
  } catch (error) {
    scores.dispose();
    throw error;
  }
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
  const checked = (t: tf.Tensor) => {
    const v = loss(t);
    if (v.rank !== 1 || v.shape[0] !== x.shape[0]) {
      throw new ShapeError('loss(x)', v.shape, [x.shape[0] ?? 0], 'must have one value per sample');
    }
    return v;
  };
  // mlap's own backward pass when it can (identical values; it skips the filter gradients of
  // fused convolutions, see filterGradientUnused); tf.grad inside another gradient.
  const recorded = recordVjp(checked, x);
  if (recorded !== undefined) {
    try {
      const gradient = tf.tidy(() => recorded.vjp(tf.onesLike(recorded.value)));
      return { value: recorded.value as tf.Tensor1D, gradient };
    } finally {
      recorded.dispose();
    }
  }
  let value: tf.Tensor1D | undefined;
  const gradient = tf.grad((t: tf.Tensor) => {
    // Kept out of the forward scope: the caller receives it alongside the gradient.
    value = tf.keep(checked(t));
    return tf.sum(value);
  })(x);
  return { value: value as tf.Tensor1D, gradient };
}
