import type { Box } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { encode } from 'fast-png';

/** An image [H, W, C] (values in `box`) as a PNG data URI, upscaled `zoom`× for visibility. */
export async function dataUri(image: tf.Tensor, box: Box, zoom = 3): Promise<string> {
  const big = tf.tidy(() => {
    const [h = 1, w = 1] = image.shape;
    return tf.image.resizeNearestNeighbor(image as tf.Tensor3D, [h * zoom, w * zoom]);
  });
  const [height = 0, width = 0, channels = 1] = big.shape;
  const values = await big.data();
  big.dispose();
  const scale = 255 / (box.hi - box.lo);
  const data = Uint8Array.from(values, (v) =>
    Math.round(Math.min(255, Math.max(0, (v - box.lo) * scale))),
  );
  return `data:image/png;base64,${Buffer.from(encode({ width, height, data, channels, depth: 8 })).toString('base64')}`;
}

/** The perturbation r = x' − x, amplified so its largest entry spans half the box, around mid-grey. */
export function amplified(clean: tf.Tensor, adversarial: tf.Tensor, box: Box): tf.Tensor {
  return tf.tidy(() => {
    const r = tf.sub(adversarial, clean);
    const peak = tf.maximum(tf.max(tf.abs(r)), 1e-12);
    const mid = (box.lo + box.hi) / 2;
    return tf.add(tf.mul(tf.div(r, peak), (box.hi - box.lo) / 2), mid);
  });
}
