import { assertFinite, assertInBox, assertShape } from '@mlap/tensor';
import type * as tf from '@tensorflow/tfjs-core';
import type { MultiLabelModel } from './multi-label-model.js';

/**
 * Checks a batch against the model contract: shape [N, ...inputShape], finite values, and values
 * inside the box (within float32 rounding of its width). Throws ShapeError, NonFiniteError or
 * BoxError naming the sample and position.
 */
export function validateInputs(model: MultiLabelModel, x: tf.Tensor, argument = 'inputs'): void {
  assertShape(x, [null, ...model.inputShape], argument);
  assertFinite(x, argument);
  assertInBox(x, model.box, argument, 1e-6 * (model.box.hi - model.box.lo));
}
