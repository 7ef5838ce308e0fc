import { writeFileSync } from 'node:fs';
import type { Box } from '@mlap/tensor';
import type * as tf from '@tensorflow/tfjs-core';
import { encode } from 'fast-png';

/** Writes one image [H, W, C] (values in `box`) as an 8-bit PNG. */
export async function writePng(path: string, image: tf.Tensor, box: Box): Promise<void> {
  const [height = 0, width = 0, channels = 1] = image.shape;
  const values = await image.data();
  const scale = 255 / (box.hi - box.lo);
  const data = Uint8Array.from(values, (v) =>
    Math.round(Math.min(255, Math.max(0, (v - box.lo) * scale))),
  );
  writeFileSync(path, encode({ width, height, data, channels, depth: 8 }));
}
