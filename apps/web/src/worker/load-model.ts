import { fromGraphModel, fromLayersModel, type MultiLabelModel } from '@mlap/core';
import { centerNetModel, parseLabelList } from '@mlap/models';
import type { Box } from '@mlap/tensor';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import type { ModelSource } from '../protocol.js';

/** A model ready for attacks, its display name, and how to free its weights. */
export interface LoadedModel {
  readonly name: string;
  readonly model: MultiLabelModel;
  readonly dispose: () => void;
}

/** What mlap stores in a layers model's `userDefinedMetadata` (see `@mlap/models`). */
interface MlapMetadata {
  readonly labelNames?: readonly string[];
  readonly box?: Box;
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

function metadataOf(model: unknown): MlapMetadata {
  const read = (model as { getUserDefinedMetadata?: () => unknown }).getUserDefinedMetadata;
  return (read?.call(model) as MlapMetadata | undefined) ?? {};
}

async function loadCenterNet(baseUrl: string): Promise<LoadedModel> {
  const dir = new URL('models/centernet/', baseUrl).href;
  const labels = parseLabelList(await fetchText(`${dir}labels.txt`));
  const graph = await loadGraphModel(`${dir}centernet.json`);
  return {
    name: 'COCO CenterNet (MobileNetV3, 80 labels)',
    model: centerNetModel(graph, labels),
    dispose: () => graph.dispose(),
  };
}

async function loadDefault(baseUrl: string): Promise<LoadedModel> {
  const layers = await loadLayersModel(new URL('models/default/model.json', baseUrl).href);
  const meta = metadataOf(layers);
  const model = fromLayersModel(layers, {
    box: meta.box ?? { lo: 0, hi: 1 },
    ...(meta.labelNames === undefined ? {} : { labelNames: meta.labelNames }),
  });
  return { name: 'default CNN (multi-MNIST, 10 digits)', model, dispose: () => layers.dispose() };
}

/**
 * A visitor's own TF.js model: a graph model is read like CenterNet (first output, per-class maps
 * max-reduced, pixels 0–255, probabilities); a layers model takes its box and names from mlap's
 * metadata when present, else [0, 1] and the uploaded label list.
 */
async function loadUpload(files: readonly File[], labelsText?: string): Promise<LoadedModel> {
  const [json] = files;
  if (json === undefined) throw new Error('choose a model.json and its weight files');
  const labels = labelsText === undefined ? undefined : parseLabelList(labelsText);
  const handler = tf.io.browserFiles([...files]);
  const format = (JSON.parse(await json.text()) as { format?: string }).format;
  if (format === 'graph-model') {
    if (labels === undefined) throw new Error('a graph model needs a label list (labels.txt)');
    const graph = await loadGraphModel(handler);
    const model = fromGraphModel(graph, {
      box: { lo: 0, hi: 255 },
      output: 'probabilities',
      reduce: 'max',
      labelNames: labels,
      maxBatch: 1,
    });
    return { name: json.name, model, dispose: () => graph.dispose() };
  }
  const layers = await loadLayersModel(handler);
  const meta = metadataOf(layers);
  const labelNames = labels ?? meta.labelNames;
  const model = fromLayersModel(layers, {
    box: meta.box ?? { lo: 0, hi: 1 },
    ...(labelNames === undefined ? {} : { labelNames }),
  });
  return { name: json.name, model, dispose: () => layers.dispose() };
}

/** Loads one of the page's models from the app's own origin (or the visitor's files). */
export function loadModel(source: ModelSource, baseUrl: string): Promise<LoadedModel> {
  switch (source.kind) {
    case 'centernet':
      return loadCenterNet(baseUrl);
    case 'default':
      return loadDefault(baseUrl);
    case 'upload':
      return loadUpload(source.files, source.labels);
  }
}
