import { ArgumentError, type Box } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type { InputTransform } from './input-transform.js';

function asImages(x: tf.Tensor, name: string): tf.Tensor4D {
  if (x.rank !== 4)
    throw new ArgumentError(name, `needs image batches [N, H, W, C]; got rank ${x.rank}`);
  return x as tf.Tensor4D;
}

/**
 * Bit-depth reduction (feature squeezing): each value rounded to one of 2^bits levels of the box.
 * Its exact gradient is zero almost everywhere: evaluate it with BPDA.
 */
export function bitDepth(bits: number, box: Box): InputTransform {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16)
    throw new ArgumentError('bits', `must be an integer in 1..16; got ${bits}`);
  const levels = 2 ** bits - 1;
  const width = box.hi - box.lo;
  return (x) =>
    tf.tidy(() =>
      tf.add(
        tf.mul(tf.div(tf.round(tf.mul(tf.div(tf.sub(x, box.lo), width), levels)), levels), width),
        box.lo,
      ),
    );
}

/** Weights of a normalised 1-D Gaussian of the given σ over [−radius, radius]. */
function gaussianWeights(sigma: number, radius: number): number[] {
  const w = Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  );
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / sum);
}

/**
 * Gaussian smoothing of image batches (per channel, reflected borders so the box is kept).
 * Differentiable: its exact gradient is the adaptive attack's gradient.
 */
export function gaussianBlur(
  sigma: number,
  radius = Math.max(1, Math.ceil(2 * sigma)),
): InputTransform {
  if (!(sigma > 0)) throw new ArgumentError('sigma', `must be > 0; got ${sigma}`);
  const w = gaussianWeights(sigma, radius);
  return (x) =>
    tf.tidy(() => {
      const images = asImages(x, 'gaussianBlur');
      const c = images.shape[3];
      const padded = tf.mirrorPad(
        images,
        [
          [0, 0],
          [radius, radius],
          [radius, radius],
          [0, 0],
        ],
        'reflect',
      );
      const kernel = tf.tile(
        tf.reshape(tf.outerProduct(tf.tensor1d(w), tf.tensor1d(w)), [
          2 * radius + 1,
          2 * radius + 1,
          1,
          1,
        ]),
        [1, 1, c, 1],
      );
      return tf.depthwiseConv2d(padded, kernel as tf.Tensor4D, 1, 'valid');
    });
}

/**
 * Median filter of image batches over size × size windows (reflected borders). TopK has no tfjs
 * gradient, so attack it with BPDA.
 */
export function medianFilter(size = 3): InputTransform {
  if (!Number.isInteger(size) || size < 2)
    throw new ArgumentError('size', `must be an integer ≥ 2; got ${size}`);
  const before = Math.floor((size - 1) / 2);
  const after = size - 1 - before;
  return (x) =>
    tf.tidy(() => {
      const images = asImages(x, 'medianFilter');
      const [n, h, w, c] = images.shape;
      const padded = tf.mirrorPad(
        images,
        [
          [0, 0],
          [before, after],
          [before, after],
          [0, 0],
        ],
        'reflect',
      );
      const windows: tf.Tensor[] = [];
      for (let dy = 0; dy < size; dy++) {
        for (let dx = 0; dx < size; dx++)
          windows.push(tf.slice(padded, [0, dy, dx, 0], [n, h, w, c]));
      }
      const middle = Math.floor((size * size) / 2) + 1; // the median's position from the top
      const { values } = tf.topk(tf.stack(windows, 4), middle);
      return tf.squeeze(tf.slice(values, [0, 0, 0, 0, middle - 1], [n, h, w, c, 1]), [4]);
    });
}
