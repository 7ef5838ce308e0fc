/**
 * Tensor utilities for multi-label adversarial attacks, on `@tensorflow/tfjs-core` only: every
 * function works on whichever backend the app registered.
 *
 * @packageDocumentation
 */
export { flattenSamples, perSampleShape, broadcastPerSample } from './batch.js';
export { type Box, TANH_SCALE, validateBox, clipToBox, toTanhSpace, fromTanhSpace } from './box.js';
export { ArgumentError } from './errors/argument-error.js';
export { BoxError } from './errors/box-error.js';
export { GradientsUnavailableError } from './errors/gradients-unavailable-error.js';
export { MlapError } from './errors/mlap-error.js';
export { NonFiniteError } from './errors/non-finite-error.js';
export { ShapeError } from './errors/shape-error.js';
export { assertGradientsAvailable } from './gradients.js';
export {
  type BatchFunction,
  type GradientResult,
  type JacobianOptions,
  type JacobianResult,
  type JacobianStrategy,
  batchedJacobian,
  inputGradient,
} from './jacobian.js';
export { TensorScope, withScope, countLeakedTensors } from './memory.js';
export { type NormOrder, l1Norm, l2Norm, linfNorm, norm, relativeL2, rmsd } from './norms.js';
export { type Radius, projectL2Ball, projectLinfBall } from './project.js';
export { Rng } from './rng.js';
export { assertShape, assertFinite, assertInBox, unravelIndex } from './validate.js';
