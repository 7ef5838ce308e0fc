import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { LOGITS_LAYER } from '../builders/output-head.js';

/**
 * A function computing the logits of `model`: the output of its layer named `logits` when a
 * final activation follows it (every sigmoid model built here), else the model's own output
 * (assumed to be logits). It creates no new model, so disposing `model` still frees every weight.
 */
export function logitsOf(model: tfl.LayersModel): (x: tf.Tensor) => tf.Tensor2D {
  const layer = model.layers.find((l) => l.name === LOGITS_LAYER);
  if (layer === undefined || layer === model.layers.at(-1)) {
    return (x) => model.predict(x) as tf.Tensor2D;
  }
  const name = (layer.output as tfl.SymbolicTensor).name;
  return (x) => model.execute(x, name) as tf.Tensor2D;
}
