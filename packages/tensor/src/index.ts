/**
 * Tensor utilities for multi-label adversarial attacks, on `@tensorflow/tfjs-core` only: every
 * function works on whichever backend the app registered.
 *
 * @packageDocumentation
 */
export { broadcastPerSample, flattenSamples, perSampleShape } from './batch.js';
export { type Box, clipToBox, fromTanhSpace, TANH_SCALE, toTanhSpace, validateBox } from './box.js';
export { ArgumentError } from './errors/argument-error.js';
export { BoxError } from './errors/box-error.js';
export { GradientsUnavailableError } from './errors/gradients-unavailable-error.js';
export { MlapError } from './errors/mlap-error.js';
export { NonFiniteError } from './errors/non-finite-error.js';
export { ShapeError } from './errors/shape-error.js';
export { assertGradientsAvailable } from './gradients.js';
export {
  type BatchFunction,
  batchedJacobian,
  type GradientResult,
  inputGradient,
  type JacobianOptions,
  type JacobianResult,
  type JacobianStrategy,
  RETAINED_MIN_ELEMENTS,
} from './jacobian.js';
export { countLeakedTensors, TensorScope, withScope } from './memory.js';
export { l1Norm, l2Norm, linfNorm, type NormOrder, norm, relativeL2, rmsd } from './norms.js';
export { projectL2Ball, projectLinfBall, type Radius } from './project.js';
export { type RecordedVjp, recordVjp } from './recorded-vjp.js';
export { Rng } from './rng.js';
export { filterGradientUnused } from './unused-filter-gradient.js';
export { assertFinite, assertInBox, assertShape, unravelIndex } from './validate.js';
