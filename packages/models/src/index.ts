/**
 * Victim models for mlap, backend-agnostic: multi-label CNN and MLP builders, seeded training with
 * binary cross-entropy or a pairwise ranking hinge, metrics, TF.js artifacts in memory, and the
 * CenterNet adapter. Files (save/load, the default model) live in `@mlap/models/node`.
 *
 * @packageDocumentation
 */
export { buildCnn, type CnnOptions } from './builders/build-cnn.js';
export { buildMlp, type MlpOptions } from './builders/build-mlp.js';
export { LOGITS_LAYER, type OutputActivation } from './builders/output-head.js';
export {
  CENTERNET_INPUT_SIZE,
  CENTERNET_OUTPUT,
  centerNetInput,
  centerNetModel,
  parseLabelList,
} from './centernet.js';
export { ModelFileError } from './errors/model-file-error.js';
export { evaluateModel, predictProbabilities } from './evaluate/evaluate-model.js';
export { type MultiLabelMetrics, multiLabelMetrics } from './evaluate/metrics.js';
export {
  artifactsFromJson,
  artifactsToFiles,
  layersModelFromArtifacts,
  type ModelFiles,
  modelToArtifacts,
  type ShardReader,
} from './io/artifacts.js';
export {
  type AdversarialTarget,
  type AdversarialTrainingOptions,
  adversarialTraining,
} from './training/adversarial-training.js';
export { logitsOf } from './training/logits-model.js';
export {
  binaryCrossEntropy,
  type LossFunction,
  type LossName,
  lossFunction,
  lossNames,
  pairwiseHinge,
} from './training/losses.js';
export { lsep } from './training/lsep-loss.js';
export {
  type BatchAugmenter,
  type EpochProgress,
  type TrainHistory,
  type TrainOptions,
  trainModel,
} from './training/train-model.js';
export { warp } from './training/warp-loss.js';
