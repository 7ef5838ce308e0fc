import { defineModel, type MultiLabelModel } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';

/** How gradients pass through a transform: its own derivative, or the identity (BPDA). */
export type GradientMode = 'exact' | 'bpda';

/** A transform of a batch of inputs that keeps its shape and box. */
export type InputTransform = (x: tf.Tensor) => tf.Tensor;

/**
 * Straight-through version of a transform (BPDA, Athalye et al. 2018): forward it as is, backward
 * as the identity. Quantisation and median filters have zero or no gradients; attacking through
 * them with BPDA is what shows whether they really defend.
 */
export function straightThrough(transform: InputTransform): InputTransform {
  // customGrad passes the inputs, then a save function; only the input is needed here.
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: transform(args[0] as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => dy,
  }));
  return (x) => op(x) as tf.Tensor;
}

/**
 * A model that applies `transform` to its inputs first, keeping the `MultiLabelModel` contract
 * (labels, shape, box, thresholds). With `gradient: 'bpda'` attacks see straight-through
 * gradients — the adaptive evaluation of a non-differentiable defense.
 */
export function withInputTransform(
  model: MultiLabelModel,
  transform: InputTransform,
  gradient: GradientMode = 'exact',
): MultiLabelModel {
  const apply = gradient === 'bpda' ? straightThrough(transform) : transform;
  return defineModel({
    scores: (x) => model.logits(apply(x)),
    numLabels: model.numLabels,
    inputShape: model.inputShape,
    box: model.box,
    thresholds: model.thresholds,
    ...(model.labelNames === undefined ? {} : { labelNames: model.labelNames }),
  });
}
