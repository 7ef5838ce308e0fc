import { ArgumentError, type Box } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type { DecodedImage } from './decoded-image.js';

/** Options of {@link imageToTensor}. */
export interface ImageTensorOptions {
  /** Resize to [height, width] (bilinear, half-pixel centres); default: keep the size. */
  readonly size?: readonly [number, number];
  /** The model's box: pixel 0 maps to box.lo and 255 to box.hi (default { lo: 0, hi: 255 }). */
  readonly box?: Box;
}

/**
 * A decoded image as a float32 tensor [height, width, channels] in the model's box, optionally
 * resized. Add the batch axis with `tf.expandDims` or use {@link imagesToBatch}.
 */
export function imageToTensor(image: DecodedImage, options: ImageTensorOptions = {}): tf.Tensor3D {
  const box = options.box ?? { lo: 0, hi: 255 };
  return tf.tidy(() => {
    let t: tf.Tensor3D = tf.tensor3d(Float32Array.from(image.data), [
      image.height,
      image.width,
      image.channels,
    ]);
    if (options.size !== undefined) {
      const [h, w] = options.size;
      if (!(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0)) {
        throw new ArgumentError('size', `must be two positive integers; got [${h}, ${w}]`);
      }
      if (h !== image.height || w !== image.width) {
        t = tf.clipByValue(tf.image.resizeBilinear(t, [h, w], false, true), 0, 255);
      }
    }
    if (box.lo === 0 && box.hi === 255) return t;
    return tf.add(tf.mul(t, (box.hi - box.lo) / 255), box.lo);
  });
}

/** Several decoded images (same channel count) as one batch [N, h, w, c], all resized to `size`. */
export function imagesToBatch(
  images: readonly DecodedImage[],
  options: ImageTensorOptions & { size: readonly [number, number] },
): tf.Tensor4D {
  if (images.length === 0) throw new ArgumentError('images', 'needs at least one image');
  const c = images[0]?.channels;
  if (images.some((im) => im.channels !== c)) {
    throw new ArgumentError('images', 'all images need the same channel count');
  }
  return tf.tidy(() => tf.stack(images.map((im) => imageToTensor(im, options))) as tf.Tensor4D);
}
