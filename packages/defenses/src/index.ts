/**
 * Defenses against multi-label adversarial perturbations, built to be evaluated honestly (spec §8):
 * a label-consistency detector and the consistency-aware attack it must face, input transforms
 * with straight-through (BPDA) gradients for adaptive attacks, multi-label randomised smoothing
 * (whose gradient is the EOT gradient), a noise-instability detector and the high-confidence ML-CW
 * that it must face.
 *
 * @packageDocumentation
 */
export { consistencyAwareMlCw } from './consistency/adaptive-attack.js';
export { type Cooccurrence, inconsistency, learnCooccurrence } from './consistency/cooccurrence.js';
export { type RocPoint, rocAuc, rocCurve, thresholdForFalseAlarms } from './consistency/roc.js';
export {
  perturbationSaliency,
  type SaliencyPngOptions,
  saliencyPng,
} from './saliency/perturbation-saliency.js';
export { highConfidenceMlCw } from './smoothing/high-confidence-ml-cw.js';
export {
  type NoiseOptions,
  noiseInstability,
  noisyCopies,
  randomizedSmoothing,
} from './smoothing/randomized-smoothing.js';
export { bitDepth, gaussianBlur, medianFilter } from './transforms/image-transforms.js';
export {
  type GradientMode,
  type InputTransform,
  straightThrough,
  withInputTransform,
} from './transforms/input-transform.js';
export { jpeg } from './transforms/jpeg.js';
