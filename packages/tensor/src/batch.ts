import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from './errors/shape-error.js';

/** Reshapes a batch [N, ...] to [N, d]: one row per sample. */
export function flattenSamples(x: tf.Tensor, argument = 'x'): tf.Tensor2D {
  if (x.rank < 1) throw new ShapeError(argument, x.shape, undefined, 'needs a batch dimension');
  const n = x.shape[0] ?? 0;
  return tf.reshape(x, [n, n === 0 ? 0 : x.size / n]);
}

/** Shape [N, 1, 1, …] matching `x`'s rank, so per-sample values broadcast over a batch. */
export function perSampleShape(x: tf.Tensor): number[] {
  return [x.shape[0] ?? 0, ...new Array<number>(Math.max(0, x.rank - 1)).fill(1)];
}

/**
 * Turns a per-sample scalar (a number, an array or a 1-D tensor of length N) into a tensor of
 * shape [N, 1, 1, …] that broadcasts over `x`.
 */
export function broadcastPerSample(
  value: number | readonly number[] | tf.Tensor1D,
  x: tf.Tensor,
  argument: string,
): tf.Tensor {
  const n = x.shape[0] ?? 0;
  return tf.tidy(() => {
    const v =
      value instanceof tf.Tensor
        ? value
        : typeof value === 'number'
          ? tf.fill([n], value)
          : tf.tensor1d([...value]);
    if (v.rank !== 1 || v.shape[0] !== n) {
      throw new ShapeError(argument, v.shape, [n], `needs one value per sample (${n})`);
    }
    return tf.reshape(v, perSampleShape(x));
  });
}
