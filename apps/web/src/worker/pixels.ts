import type { MultiLabelModel } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Rgba } from '../protocol.js';

/** Height, width and channels (1 or 3) of an image model's input. */
export function imageShape(model: MultiLabelModel): [number, number, 1 | 3] {
  const [h, w, c] = model.inputShape;
  if (h === undefined || w === undefined || (c !== 1 && c !== 3) || model.inputShape.length !== 3) {
    throw new Error(`the model takes [${model.inputShape.join(', ')}], not [H, W, 1|3] images`);
  }
  return [h, w, c];
}

/**
 * Decodes an image file at the model's input size. Colour-space conversion and premultiplied
 * alpha are turned off so the pixels are the file's own, as the Node tools read them.
 */
export async function decodeToRgba(blob: Blob, width: number, height: number): Promise<Rgba> {
  const bitmap = await createImageBitmap(blob, {
    resizeWidth: width,
    resizeHeight: height,
    resizeQuality: 'high',
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('this browser has no 2D canvas in workers');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = context.getImageData(0, 0, width, height);
  return { width, height, data };
}

/** RGBA pixels → one input [1, H, W, C] in the model's box (grey = mean of R, G, B). */
export function rgbaToInput(image: Rgba, model: MultiLabelModel): tf.Tensor4D {
  const [h, w, c] = imageShape(model);
  const { lo, hi } = model.box;
  const values = new Float32Array(h * w * c);
  for (let p = 0; p < h * w; p++) {
    const [r = 0, g = 0, b = 0] = image.data.subarray(4 * p, 4 * p + 3);
    const rgb = c === 3 ? [r, g, b] : [(r + g + b) / 3];
    rgb.forEach((v, k) => {
      values[p * c + k] = lo + (v / 255) * (hi - lo);
    });
  }
  return tf.tensor4d(values, [1, h, w, c]);
}

function toRgba(values: Float32Array, h: number, w: number, c: number, map: (v: number) => number) {
  const data = new Uint8ClampedArray(new ArrayBuffer(h * w * 4));
  for (let p = 0; p < h * w; p++) {
    for (let k = 0; k < 3; k++) data[4 * p + k] = map(values[p * c + (c === 3 ? k : 0)] ?? 0);
    data[4 * p + 3] = 255;
  }
  return { width: w, height: h, data };
}

/** One input in the model's box → displayable RGBA (rounded to 8 bits, as a PNG stores it). */
export async function inputToRgba(x: tf.Tensor, model: MultiLabelModel): Promise<Rgba> {
  const [h, w, c] = imageShape(model);
  const { lo, hi } = model.box;
  const values = (await x.data()) as Float32Array;
  return toRgba(values, h, w, c, (v) => Math.round(((v - lo) / (hi - lo)) * 255));
}

/**
 * The perturbation, amplified so its largest entry spans the full range around mid-grey: the
 * real one is usually invisible.
 */
export async function perturbationToRgba(r: tf.Tensor, model: MultiLabelModel): Promise<Rgba> {
  const [h, w, c] = imageShape(model);
  const values = (await r.data()) as Float32Array;
  let peak = 0;
  for (const v of values) peak = Math.max(peak, Math.abs(v));
  const scale = peak === 0 ? 0 : 127 / peak;
  return toRgba(values, h, w, c, (v) => 128 + v * scale);
}
