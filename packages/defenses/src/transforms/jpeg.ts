import { ArgumentError, type Box } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { decode, encode } from 'jpeg-js';
import type { InputTransform } from './input-transform.js';

/** Rounds a box value to a 0–255 byte. */
function toByte(v: number, box: Box): number {
  const b = Math.round(((v - box.lo) / (box.hi - box.lo)) * 255);
  return Math.min(255, Math.max(0, b));
}

/**
 * JPEG re-encoding of image batches [N, H, W, C] with C = 1 or 3 (pure-JS `jpeg-js`; its encoder
 * needs Node's `Buffer`). Each image is mapped from the box to bytes, encoded at `quality`
 * (1–100), decoded and mapped back. It runs on the CPU outside the tape, so it has no gradient of
 * its own: attack it with BPDA (`withInputTransform(model, jpeg(q, box), 'bpda')`).
 */
export function jpeg(quality: number, box: Box): InputTransform {
  if (!Number.isInteger(quality) || quality < 1 || quality > 100)
    throw new ArgumentError('quality', `must be an integer in 1..100; got ${quality}`);
  return (x) => {
    if (x.rank !== 4 || (x.shape[3] !== 1 && x.shape[3] !== 3))
      throw new ArgumentError('jpeg', `needs image batches [N, H, W, 1|3]; got [${x.shape}]`);
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const input = x.dataSync();
    const out = new Float32Array(input.length);
    const rgba = new Uint8Array(h * w * 4);
    const scale = (box.hi - box.lo) / 255;
    for (let i = 0; i < n; i++) {
      const offset = i * h * w * c;
      for (let p = 0; p < h * w; p++) {
        for (let k = 0; k < 3; k++)
          rgba[p * 4 + k] = toByte(input[offset + p * c + (c === 1 ? 0 : k)] ?? 0, box);
        rgba[p * 4 + 3] = 255;
      }
      const encoded = encode({ data: rgba, width: w, height: h }, quality);
      const decoded = decode(encoded.data, { useTArray: true, formatAsRGBA: true });
      for (let p = 0; p < h * w; p++) {
        if (c === 1) {
          // Grey images: the mean of the decoded channels (they agree up to colour rounding).
          const d = decoded.data;
          out[offset + p] =
            box.lo + (((d[p * 4] ?? 0) + (d[p * 4 + 1] ?? 0) + (d[p * 4 + 2] ?? 0)) / 3) * scale;
        } else {
          for (let k = 0; k < 3; k++)
            out[offset + p * 3 + k] = box.lo + (decoded.data[p * 4 + k] ?? 0) * scale;
        }
      }
    }
    return tf.tensor(out, x.shape, 'float32');
  };
}
