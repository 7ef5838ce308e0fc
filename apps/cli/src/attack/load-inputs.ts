import { statSync } from 'node:fs';
import { extname } from 'node:path';
import type { LabelVector, MultiLabelModel } from '@mlap/core';
import { imageToTensor, type MultiLabelData, scaleToBox } from '@mlap/datasets';
import { loadArffFile, loadDefaultDataset, loadImageFolder, readImage } from '@mlap/datasets/node';
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from './usage-error.js';

/** The samples to attack, in the model's box. */
export interface CliInputs {
  /** [N, ...inputShape]. */
  readonly inputs: tf.Tensor;
  /** Ground-truth labels, when the data has them (ARFF, the default data set). */
  readonly truth: LabelVector[] | undefined;
  /** A name per sample (file name or row number). */
  readonly names: string[];
  /** Whether the samples are images (adversarial PNGs are then written). */
  readonly images: boolean;
}

const imageExtensions = new Set(['.png', '.jpg', '.jpeg']);

/** The word `--data` (and an eval config's `data`) takes for mlap's own default test split. */
export const DEFAULT_DATA = 'default';

/** Samples and ground truth of a labelled data set, checked against the model and scaled to its box. */
function labelledInputs(
  data: MultiLabelData,
  source: string,
  model: MultiLabelModel,
  limit: number,
  name: (i: number) => string,
): CliInputs {
  const d = data.sampleShape.reduce((a, b) => a * b, 1);
  const expected = model.inputShape.reduce((a, b) => a * b, 1);
  if (d !== expected)
    throw new UsageError(`${source}: samples have ${d} features, the model takes ${expected}`);
  if (data.labelNames.length !== model.numLabels) {
    throw new UsageError(
      `${source}: ${data.labelNames.length} labels, the model has ${model.numLabels}`,
    );
  }
  const n = Math.min(limit, data.count);
  const features = scaleToBox(data.features.subarray(0, n * d), data.range, model.box);
  const truth = Array.from(
    { length: n },
    (_, i) =>
      Array.from(data.labels.subarray(i * model.numLabels, (i + 1) * model.numLabels)) as (0 | 1)[],
  );
  return {
    inputs: tf.tensor(features, [n, ...model.inputShape]),
    truth,
    names: Array.from({ length: n }, (_, i) => name(i)),
    images: data.sampleShape.length === 3,
  };
}

async function loadArff(
  path: string,
  model: MultiLabelModel,
  labelsPath: string | undefined,
  limit: number,
): Promise<CliInputs> {
  const xml = labelsPath?.toLowerCase().endsWith('.xml') ? labelsPath : undefined;
  const data = await loadArffFile(path, xml === undefined ? {} : { xml });
  return labelledInputs(data, path, model, limit, (i) => `row ${i}`);
}

/**
 * The test split of mlap's default data set (multi-MNIST mosaics, built from the installed `mnist`
 * package and cached), with its ground truth, so the exactly-correct filter of spec §7 applies.
 */
async function loadDefaultTest(model: MultiLabelModel, limit: number): Promise<CliInputs> {
  const { test } = await loadDefaultDataset();
  return labelledInputs(test, 'the default data set', model, limit, (i) => `test ${i}`);
}

/** The model's image size and channels; a model that does not take images is a usage error. */
function imageShape(model: MultiLabelModel): { size: [number, number]; channels: 1 | 3 } {
  const [h, w, c] = model.inputShape;
  if (h === undefined || w === undefined || (c !== 1 && c !== 3)) {
    throw new UsageError(
      `the model takes inputs of shape [${model.inputShape.join(', ')}], not images`,
    );
  }
  return { size: [h, w], channels: c };
}

/** One image file the user named, read and scaled to the model's box. */
async function loadImageFile(path: string, model: MultiLabelModel): Promise<CliInputs> {
  const { size, channels } = imageShape(model);
  const image = await readImage(path, { channels });
  const inputs = tf.tidy(() => tf.expandDims(imageToTensor(image, { size, box: model.box }), 0));
  return { inputs, truth: undefined, names: [path], images: true };
}

/**
 * The first `limit` images of a folder (sorted by name, sub-folders not walked), read by
 * `loadImageFolder`, so each is checked right before it is read: a symlink out of the folder, or
 * a device or FIFO, is a `DatasetFormatError` naming the folder instead of a read outside it or a
 * hang.
 */
async function loadImageDir(
  dir: string,
  model: MultiLabelModel,
  limit: number,
): Promise<CliInputs> {
  const { size, channels } = imageShape(model);
  // checked file by file as read, so images past the limit cost nothing
  const set = await loadImageFolder(dir, { size, channels, checkFiles: false });
  const n = Math.min(limit, set.count);
  if (n === 0) throw new UsageError(`${dir}: no .png or .jpg images in the folder`);
  const indices = Array.from({ length: n }, (_, i) => i);
  const parts: tf.Tensor[] = [];
  const names: string[] = [];
  try {
    for await (const batch of set.batches({ box: model.box, indices })) {
      parts.push(batch.x);
      names.push(...batch.files);
      batch.y.dispose();
    }
    return { inputs: tf.concat(parts), truth: undefined, names, images: true };
  } finally {
    tf.dispose(parts);
  }
}

/**
 * Loads `--data`: `default` (the default data set's test split), a MULAN ARFF file, an image, or a
 * folder of images (sorted by name; each must be a regular file inside the folder, see
 * `loadImageDir`).
 */
export async function loadCliInputs(
  path: string,
  model: MultiLabelModel,
  labelsPath: string | undefined,
  limit = Number.POSITIVE_INFINITY,
): Promise<CliInputs> {
  if (path === DEFAULT_DATA) return loadDefaultTest(model, limit);
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    throw new UsageError(`${path}: no such file or folder`);
  }
  if (stats.isDirectory()) return loadImageDir(path, model, limit);
  const ext = extname(path).toLowerCase();
  if (ext === '.arff') return loadArff(path, model, labelsPath, limit);
  if (imageExtensions.has(ext)) return loadImageFile(path, model);
  throw new UsageError(
    `${path}: unknown data format`,
    `give ${DEFAULT_DATA}, an .arff file, an image or a folder of images`,
  );
}
