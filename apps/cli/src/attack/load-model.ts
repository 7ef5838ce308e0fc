import { join } from 'node:path';
import { fromGraphModel, fromLayersModel, type MultiLabelModel } from '@mlap/core';
import { parseMulanLabels } from '@mlap/datasets';
import { parseLabelList } from '@mlap/models';
import { defaultModelDir, loadGraphModelFiles, loadLayersModelFiles } from '@mlap/models/node';
import { ArgumentError, type Box } from '@mlap/tensor';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { readTextFile, TEXT_FILE_LIMITS } from '../read-text-file.js';
import { UsageError } from './usage-error.js';

/** What `mlap train` (and the default model) store in `model.json`'s `userDefinedMetadata`. */
interface ModelMetadata {
  readonly labelNames?: readonly string[];
  readonly box?: Box;
  readonly outputName?: string;
  /** Per-label thresholds τ_j (or one for every label); 0.5 when absent. */
  readonly thresholds?: number | readonly number[];
}

/** A loaded victim and how to free it. */
export interface LoadedModel {
  readonly model: MultiLabelModel;
  readonly dispose: () => void;
}

/** The word `--model` (and an eval config's `model`) takes for mlap's pre-trained default model. */
export const DEFAULT_MODEL = 'default';

/** Label names from a MULAN XML file or a text file with one name per line. */
export function readLabelNames(path: string): string[] {
  const text = readTextFile(path, 'labels', TEXT_FILE_LIMITS.labels);
  return path.toLowerCase().endsWith('.xml') ? parseMulanLabels(text, path) : parseLabelList(text);
}

function readModelJson(path: string): { format?: string; userDefinedMetadata?: ModelMetadata } {
  const text = readTextFile(path, 'a model', TEXT_FILE_LIMITS.modelJson);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${path}: not a readable TF.js model.json (${(error as Error).message.split('\n')[0]})`,
    );
  }
}

/**
 * Builds the adapter over loaded weights; on failure frees them, and thresholds from the metadata
 * that the adapter refuses become a usage error naming the file.
 */
function adapt(path: string, build: () => MultiLabelModel, free: () => void): LoadedModel {
  try {
    return { model: build(), dispose: free };
  } catch (error) {
    free();
    if (ArgumentError.isInstance(error) && error.argument === 'thresholds')
      throw new UsageError(`${path}: userDefinedMetadata.${error.message}`);
    throw error;
  }
}

/**
 * The output whose last axis has one entry per label (e.g. CenterNet's class heatmaps). Converted
 * graphs rarely declare output shapes, so one forward pass on a blank input reads them.
 */
function perLabelOutput(graph: GraphModel, labels: number): string | undefined {
  const names = graph.outputs.map((o) => o.name);
  if (names.length <= 1) return names[0];
  const shape = graph.inputs[0]?.shape?.map((d) => (d > 0 ? d : 1)) ?? [];
  const outputs = tf.tidy(() => [graph.execute(tf.zeros(shape), names)].flat().map((t) => t.shape));
  return names.find((_, i) => outputs[i]?.at(-1) === labels);
}

/**
 * Loads a TF.js model from `model.json` as a {@link MultiLabelModel}. Layers models take their label
 * names and box from the metadata `mlap train` writes (or `--labels`); graph models are read as
 * detectors whose per-class maps (probabilities; the output with one channel per label, unless the
 * metadata names one)
 * are max-reduced to label scores, with pixels in [0, 255] unless the metadata gives a box. Either
 * takes per-label thresholds from the metadata (`thresholds`), 0.5 without.
 * `default` loads the pre-trained default model shipped with `@mlap/models`.
 */
export async function loadCliModel(given: string, labelsPath?: string): Promise<LoadedModel> {
  const path = given === DEFAULT_MODEL ? join(defaultModelDir(), 'model.json') : given;
  const json = readModelJson(path);
  const meta = json.userDefinedMetadata ?? {};
  const tau: unknown = meta.thresholds;
  const numbers = Array.isArray(tau) && tau.every((t) => typeof t === 'number');
  if (tau !== undefined && typeof tau !== 'number' && !numbers)
    throw new UsageError(
      `${path}: userDefinedMetadata.thresholds: not a number or a list of numbers`,
    );
  const labelNames = labelsPath === undefined ? meta.labelNames : readLabelNames(labelsPath);
  if (json.format === 'graph-model') {
    if (labelNames === undefined) throw new UsageError(`${path}: a graph model needs --labels`);
    const graph = await loadGraphModelFiles(path);
    const outputName = meta.outputName ?? perLabelOutput(graph, labelNames.length);
    const build = () =>
      fromGraphModel(graph, {
        box: meta.box ?? { lo: 0, hi: 255 },
        output: 'probabilities',
        reduce: 'max',
        labelNames,
        maxBatch: 1,
        ...(outputName === undefined ? {} : { outputName }),
        ...(meta.thresholds === undefined ? {} : { thresholds: meta.thresholds }),
      });
    return adapt(path, build, () => graph.dispose());
  }
  const layers = await loadLayersModelFiles(path);
  if (meta.box === undefined) {
    layers.dispose();
    throw new UsageError(
      `${path}: the model's metadata has no input box`,
      'train it with mlap train, or add userDefinedMetadata.box',
    );
  }
  const { box, thresholds } = meta;
  const build = () =>
    fromLayersModel(layers, {
      box,
      ...(labelNames === undefined ? {} : { labelNames }),
      ...(thresholds === undefined ? {} : { thresholds }),
    });
  return adapt(path, build, () => layers.dispose());
}
