import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { LabelVector, MultiLabelModel } from '@mlap/core';
import { imageToTensor, type MultiLabelData, scaleToBox } from '@mlap/datasets';
import { loadArffFile, loadDefaultDataset, readImage } from '@mlap/datasets/node';
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

async function loadImages(paths: string[], model: MultiLabelModel): Promise<CliInputs> {
  const [h, w, c] = model.inputShape;
  if (h === undefined || w === undefined || (c !== 1 && c !== 3)) {
    throw new UsageError(
      `the model takes inputs of shape [${model.inputShape.join(', ')}], not images`,
    );
  }
  const tensors: tf.Tensor3D[] = [];
  try {
    for (const path of paths) {
      const image = await readImage(path, { channels: c });
      tensors.push(imageToTensor(image, { size: [h, w], box: model.box }));
    }
    return { inputs: tf.stack(tensors), truth: undefined, names: paths, images: true };
  } finally {
    tf.dispose(tensors);
  }
}

/**
 * Loads `--data`: `default` (the default data set's test split), a MULAN ARFF file, an image, or a
 * folder of images (sorted by name).
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
  if (stats.isDirectory()) {
    const files = readdirSync(path)
      .filter((f) => imageExtensions.has(extname(f).toLowerCase()))
      .sort()
      .slice(0, limit)
      .map((f) => join(path, f));
    if (files.length === 0) throw new UsageError(`${path}: no .png or .jpg images in the folder`);
    return loadImages(files, model);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.arff') return loadArff(path, model, labelsPath, limit);
  if (imageExtensions.has(ext)) return loadImages([path], model);
  throw new UsageError(
    `${path}: unknown data format`,
    `give ${DEFAULT_DATA}, an .arff file, an image or a folder of images`,
  );
}
