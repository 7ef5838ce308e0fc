/**
 * The adversarially trained row of the robustness table: the pre-trained default model
 * fine-tuned with multi-label PGD adversarial training (`adversarialTraining` of `@mlap/models`)
 * on the default train split, with a small, seeded budget.
 */
import { fromLayersModel, type MultiLabelModel } from '@mlap/core';
import type { MultiLabelData } from '@mlap/datasets';
import { adversarialTraining } from '@mlap/models';
import { loadDefaultModel } from '@mlap/models/node';

/** The default model's tfjs-layers model. */
type DefaultLayers = Awaited<ReturnType<typeof loadDefaultModel>>['layers'];

/** The adversarial-training budget (recorded in the report). */
export interface AdversarialBudget {
  readonly epochs: number;
  readonly trainImages: number;
  readonly epsilon: number;
  readonly steps: number;
  readonly mixRatio: number;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly seed: number;
}

/** The default budget: one epoch of L∞ PGD (ε = 0.1, 5 steps) on half of every batch. */
export const defaultAdversarialBudget = (
  seed: number,
  epochs = 1,
  trainImages = 6000,
): AdversarialBudget => ({
  epochs,
  trainImages,
  epsilon: 0.1,
  steps: 5,
  mixRatio: 0.5,
  learningRate: 1e-3,
  batchSize: 32,
  seed,
});

/** The first `count` samples of a data set. */
function head(data: MultiLabelData, count: number): MultiLabelData {
  const n = Math.min(count, data.count);
  const d = data.sampleShape.reduce((a, b) => a * b, 1);
  const L = data.labelNames.length;
  return {
    ...data,
    count: n,
    features: data.features.subarray(0, n * d),
    labels: data.labels.subarray(0, n * L),
  };
}

/** Fine-tunes a fresh copy of the default model adversarially; dispose `layers` when done. */
export async function adversariallyTrainedModel(
  train: MultiLabelData,
  budget: AdversarialBudget,
  log: (m: string) => void,
): Promise<{ layers: DefaultLayers; model: MultiLabelModel; seconds: number }> {
  const { layers, info } = await loadDefaultModel();
  const t0 = performance.now();
  await adversarialTraining(layers, head(train, budget.trainImages), {
    box: info.box,
    epochs: budget.epochs,
    batchSize: budget.batchSize,
    learningRate: budget.learningRate,
    seed: budget.seed,
    epsilon: budget.epsilon,
    steps: budget.steps,
    norm: 'linf',
    mixRatio: budget.mixRatio,
    target: 'untargeted',
    onEpoch: (p) => log(`adversarial training epoch ${p.epoch + 1}: loss ${p.loss.toFixed(4)}`),
  });
  const model = fromLayersModel(layers, { box: info.box, labelNames: info.labelNames });
  return { layers, model, seconds: (performance.now() - t0) / 1000 };
}
