import { ArgumentError, type Box, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { type MultiLabelData, sampleSize, validateData } from './dataset.js';
import { scaleToBox } from './normalize.js';

/** One batch of a {@link MultiLabelData}, as tensors the caller owns (dispose them). */
export interface TensorBatch {
  /** Inputs in the model's box, [n, ...sampleShape]. */
  readonly x: tf.Tensor;
  /** Label indicators, [n, L] float32. */
  readonly y: tf.Tensor2D;
  /** The sample indices in this batch. */
  readonly indices: readonly number[];
}

/** Options of {@link batches} and {@link toTensors}. */
export interface BatchOptions {
  /** The model's input box; the data's range is mapped onto it (default { lo: 0, hi: 1 }). */
  readonly box?: Box;
  /** Samples per batch (default 64). */
  readonly batchSize?: number;
  /** Shuffle the order with this seed (default: data order). */
  readonly shuffleSeed?: number;
}

/**
 * Streams a data set as tensor batches in the model's box. Each batch is created only when the
 * iterator reaches it, so a large data set never sits on the backend whole.
 *
 * @example
 * for (const { x, y } of batches(data, { batchSize: 32, box: { lo: 0, hi: 1 } })) {
 *   // … use x, y …
 *   tf.dispose([x, y]);
 * }
 */
export function* batches(data: MultiLabelData, options: BatchOptions = {}): Generator<TensorBatch> {
  validateData(data);
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ArgumentError('batchSize', `must be a positive integer; got ${batchSize}`);
  }
  const order = Array.from({ length: data.count }, (_, i) => i);
  const indices =
    options.shuffleSeed === undefined ? order : Rng.seeded(options.shuffleSeed).shuffle(order);
  for (let start = 0; start < indices.length; start += batchSize) {
    yield makeBatch(data, indices.slice(start, start + batchSize), options.box);
  }
}

/** All of a data set (or the samples at `indices`) as one batch of tensors. */
export function toTensors(
  data: MultiLabelData,
  options: { box?: Box; indices?: readonly number[] } = {},
): TensorBatch {
  validateData(data);
  const indices = options.indices ?? Array.from({ length: data.count }, (_, i) => i);
  return makeBatch(data, indices, options.box);
}

function makeBatch(
  data: MultiLabelData,
  indices: readonly number[],
  box: Box = { lo: 0, hi: 1 },
): TensorBatch {
  const size = sampleSize(data);
  const L = data.labelNames.length;
  const raw = new Float32Array(indices.length * size);
  const labels = new Float32Array(indices.length * L);
  indices.forEach((src, dst) => {
    if (!Number.isInteger(src) || src < 0 || src >= data.count) {
      throw new ArgumentError('indices', `index ${src} is outside [0, ${data.count})`);
    }
    raw.set(data.features.subarray(src * size, (src + 1) * size), dst * size);
    labels.set(data.labels.subarray(src * L, (src + 1) * L), dst * L);
  });
  const x = tf.tensor(scaleToBox(raw, data.range, box), [indices.length, ...data.sampleShape]);
  const y = tf.tensor2d(labels, [indices.length, L]);
  return { x, y, indices };
}
