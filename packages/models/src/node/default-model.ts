import { fileURLToPath } from 'node:url';
import { fromLayersModel, type MultiLabelModel } from '@mlap/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadLayersModelFiles } from './model-files.js';

/** The folder of the pre-trained default model shipped with this package. */
export function defaultModelDir(): string {
  return fileURLToPath(new URL('../../assets/default-model/', import.meta.url));
}

/** Metadata stored in the default model's `model.json` (`userDefinedMetadata`). */
export interface DefaultModelInfo {
  /** Label names, in output order. */
  readonly labelNames: readonly string[];
  /** The input box. */
  readonly box: {
    /** The smallest input value. */
    readonly lo: number;
    /** The largest input value. */
    readonly hi: number;
  };
  /** How it was trained and what it scored on the default test split. */
  readonly [key: string]: unknown;
}

/** The pre-trained default model. */
export interface DefaultModel {
  /** The LayersModel (dispose it when done). */
  readonly layers: tfl.LayersModel;
  /** Its multi-label view, ready for attacks. */
  readonly model: MultiLabelModel;
  /** Its stored metadata. */
  readonly info: DefaultModelInfo;
}

/**
 * Loads the pre-trained default model: a small CNN on the default multi-MNIST data set (56×56×1
 * inputs in [0, 1], 10 labels "0"–"9"), trained by `scripts/train-default-model` in the repository.
 * Its measured test metrics are in `info`.
 */
export async function loadDefaultModel(): Promise<DefaultModel> {
  const layers = await loadLayersModelFiles(`${defaultModelDir()}model.json`);
  const info = (
    layers as unknown as { getUserDefinedMetadata(): unknown }
  ).getUserDefinedMetadata() as DefaultModelInfo | undefined;
  if (info === undefined) throw new Error('the default model has no metadata');
  const model = fromLayersModel(layers, { box: info.box, labelNames: info.labelNames });
  return { layers, model, info };
}
