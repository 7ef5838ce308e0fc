import * as tf from '@tensorflow/tfjs-core';
import { flattenSamples } from './batch.js';
import { type Box, validateBox } from './box.js';

/** The norms mlap reports: p = 1, 2 or ∞. */
export type NormOrder = 1 | 2 | 'inf';

/**
 * Reduces each sample's values to one number. Samples without values have norm 0: reductions over
 * an empty axis are -∞ (max) or, on the wasm backend, uninitialised memory (sum).
 */
function perSample(x: tf.Tensor, reduce: (flat: tf.Tensor2D) => tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const flat = flattenSamples(x);
    return (flat.shape[1] === 0 ? tf.zeros([flat.shape[0]]) : reduce(flat)) as tf.Tensor1D;
  });
}

/** Per-sample ‖x_i‖₁ over all non-batch dimensions: [N, ...] → [N]. */
export function l1Norm(x: tf.Tensor): tf.Tensor1D {
  return perSample(x, (flat) => tf.sum(tf.abs(flat), 1));
}

/** Per-sample ‖x_i‖₂ over all non-batch dimensions: [N, ...] → [N]. */
export function l2Norm(x: tf.Tensor): tf.Tensor1D {
  return perSample(x, (flat) => tf.sqrt(tf.sum(tf.square(flat), 1)));
}

/** Per-sample ‖x_i‖∞ (largest absolute value) over all non-batch dimensions: [N, ...] → [N]. */
export function linfNorm(x: tf.Tensor): tf.Tensor1D {
  return perSample(x, (flat) => tf.max(tf.abs(flat), 1));
}

/** Per-sample norm of the given order. */
export function norm(x: tf.Tensor, order: NormOrder): tf.Tensor1D {
  if (order === 1) return l1Norm(x);
  if (order === 2) return l2Norm(x);
  return linfNorm(x);
}

/**
 * Per-sample relative size ‖r_i‖₂ / ‖x_i‖₂ of a perturbation r against its clean input x.
 * A zero input gives +∞ for a non-zero perturbation and 0 for a zero one.
 */
export function relativeL2(r: tf.Tensor, x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const nr = l2Norm(r);
    const nx = l2Norm(x);
    const ratio = tf.div(nr, nx);
    return tf.where(tf.equal(nr, 0), tf.zerosLike(ratio), ratio) as tf.Tensor1D;
  });
}

/**
 * Per-sample root-mean-square deviation ‖r_i‖₂ / √d. With a `box`, r is first rescaled from the
 * box's range to [0, `scaleTo`] (255 by default), the pixel scale the multi-label literature
 * reports RMSD on.
 */
export function rmsd(r: tf.Tensor, box?: Box, scaleTo = 255): tf.Tensor1D {
  if (box !== undefined) validateBox(box);
  return tf.tidy(() => {
    const n = r.shape[0] ?? 0;
    const d = n === 0 ? 1 : r.size / n;
    const scale = box === undefined ? 1 : scaleTo / (box.hi - box.lo);
    return tf.mul(l2Norm(r), scale / Math.sqrt(Math.max(d, 1)));
  });
}
