import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { LabelVector, MultiLabelModel } from '@mlap/core';
import { imageToTensor, scaleToBox } from '@mlap/datasets';
import { loadArffFile, readImage } from '@mlap/datasets/node';
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from './usage-error.js';

/** The samples to attack, in the model's box. */
export interface CliInputs {
  /** [N, ...inputShape]. */
  readonly inputs: tf.Tensor;
  /** Ground-truth labels, when the data has them (ARFF). */
  readonly truth: LabelVector[] | undefined;
  /** A name per sample (file name or row number). */
  readonly names: string[];
  /** Whether the samples are images (adversarial PNGs are then written). */
  readonly images: boolean;
}

const imageExtensions = new Set(['.png', '.jpg', '.jpeg']);

async function loadArff(
  path: string,
  model: MultiLabelModel,
  labelsPath: string | undefined,
  limit: number,
): Promise<CliInputs> {
  const xml = labelsPath?.toLowerCase().endsWith('.xml') ? labelsPath : undefined;
  const data = await loadArffFile(path, xml === undefined ? {} : { xml });
  const d = data.sampleShape.reduce((a, b) => a * b, 1);
  const expected = model.inputShape.reduce((a, b) => a * b, 1);
  if (d !== expected)
    throw new UsageError(`${path}: samples have ${d} features, the model takes ${expected}`);
  if (data.labelNames.length !== model.numLabels) {
    throw new UsageError(
      `${path}: ${data.labelNames.length} labels, the model has ${model.numLabels}`,
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
    names: Array.from({ length: n }, (_, i) => `row ${i}`),
    images: false,
  };
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

/** Loads `--data`: a MULAN ARFF file, an image, or a folder of images (sorted by name). */
export async function loadCliInputs(
  path: string,
  model: MultiLabelModel,
  labelsPath: string | undefined,
  limit = Number.POSITIVE_INFINITY,
): Promise<CliInputs> {
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
    'give an .arff file, an image or a folder of images',
  );
}
