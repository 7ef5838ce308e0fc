import { type LabelVector, type MultiLabelModel, predictLabels } from '@mlap/core';
import { scaleToBox } from '@mlap/datasets';
import { loadDefaultDataset } from '@mlap/datasets/node';
import { loadDefaultModel } from '@mlap/models/node';
import * as tf from '@tensorflow/tfjs-core';

/** The demo's victim and images: the pre-trained default model on default test mosaics. */
export interface DemoSetup {
  readonly model: MultiLabelModel;
  /** Test images the paper's protocol attacks: correct clean prediction, ≥ 2 labels. */
  readonly inputs: tf.Tensor;
  /** Their (correct) clean predictions. */
  readonly start: LabelVector[];
  /** Their positions in the test split. */
  readonly indices: number[];
  readonly dispose: () => void;
}

/**
 * Loads the default model and takes the first `count` test mosaics whose clean prediction is
 * exactly right and has at least two labels (spec §7). Everything comes from mlap's own install.
 */
export async function loadDemoSetup(count: number): Promise<DemoSetup> {
  const { layers, model } = await loadDefaultModel();
  const { test } = await loadDefaultDataset();
  const d = test.sampleShape.reduce((a, b) => a * b, 1);
  const take = Math.min(test.count, count * 8); // plenty of candidates for the filter
  const all = tf.tensor(scaleToBox(test.features.subarray(0, take * d), test.range, model.box), [
    take,
    ...model.inputShape,
  ]);
  const predicted = await predictLabels(model, all);
  const L = model.numLabels;
  const indices = predicted
    .map((p, i) => {
      const truth = test.labels.subarray(i * L, (i + 1) * L);
      const correct = p.every((v, j) => v === truth[j]);
      return correct && p.filter((v) => v === 1).length >= 2 ? i : -1;
    })
    .filter((i) => i >= 0)
    .slice(0, count);
  const inputs = tf.gather(all, indices);
  all.dispose();
  return {
    model,
    inputs,
    start: indices.map((i) => predicted[i] ?? []),
    indices,
    dispose: () => {
      inputs.dispose();
      layers.dispose();
    },
  };
}
