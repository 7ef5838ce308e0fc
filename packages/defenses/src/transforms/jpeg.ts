import { ArgumentError, type Box } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { decode, encode } from 'jpeg-js';
import type { InputTransform } from './input-transform.js';

/** Rounds a box value to a 0–255 byte. */
function toByte(v: number, box: Box): number {
  const b = Math.round(((v - box.lo) / (box.hi - box.lo)) * 255);
  return Math.min(255, Math.max(0, b));
}

/** JPEG's largest side (65535 pixels) bounds how many images one stacked encode may hold. */
const MAX_SIDE = 65_535;

/** Encodes and decodes `count` images stacked vertically as one RGBA picture; returns RGBA bytes. */
function roundTrip(rgba: Uint8Array, w: number, h: number, count: number, quality: number) {
  const encoded = encode({ data: rgba, width: w, height: h * count }, quality);
  return decode(encoded.data, { useTArray: true, formatAsRGBA: true }).data;
}

/** Images per encode: jpeg-js spends ~50 ms setting up each encoder, so aligned ones are stacked. */
function groupSize(n: number, h: number, w: number): number {
  // 8×8 blocks coded independently (4:4:4, DC prediction is lossless) make a stack of
  // block-aligned images decode exactly as the images one by one; others go alone.
  return h % 8 === 0 && w % 8 === 0 ? Math.max(1, Math.min(n, Math.floor(MAX_SIDE / h))) : 1;
}

/**
 * JPEG re-encoding of image batches [N, H, W, C] with C = 1 or 3 (pure-JS `jpeg-js`; its encoder
 * needs Node's `Buffer`). Each image is mapped from the box to bytes, encoded at `quality`
 * (1–100), decoded and mapped back; images whose sides are multiples of 8 are encoded stacked,
 * which gives the same pixels faster. It runs on the CPU outside the tape, so it has no gradient
 * of its own: attack it with BPDA (`withInputTransform(model, jpeg(q, box), 'bpda')`).
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
    const scale = (box.hi - box.lo) / 255;
    const group = groupSize(n, h, w);
    for (let first = 0; first < n; first += group) {
      const count = Math.min(group, n - first);
      const offset = first * h * w * c;
      const pixels = count * h * w;
      const rgba = new Uint8Array(pixels * 4);
      for (let p = 0; p < pixels; p++) {
        for (let k = 0; k < 3; k++)
          rgba[p * 4 + k] = toByte(input[offset + p * c + (c === 1 ? 0 : k)] ?? 0, box);
        rgba[p * 4 + 3] = 255;
      }
      const d = roundTrip(rgba, w, h, count, quality);
      for (let p = 0; p < pixels; p++) {
        if (c === 1) {
          // Grey images: the mean of the decoded channels (they agree up to colour rounding).
          out[offset + p] =
            box.lo + (((d[p * 4] ?? 0) + (d[p * 4 + 1] ?? 0) + (d[p * 4 + 2] ?? 0)) / 3) * scale;
        } else {
          for (let k = 0; k < 3; k++)
            out[offset + p * 3 + k] = box.lo + (d[p * 4 + k] ?? 0) * scale;
        }
      }
    }
    return tf.tensor(out, x.shape, 'float32');
  };
}
