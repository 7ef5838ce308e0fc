import { defineModel, type MultiLabelModel } from '@mlap/core';
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';

/** A tiny seeded multi-label CNN for the demo: 16×16 RGB images in [0, 1] → 5 label logits. */
export interface ToyModel extends MultiLabelModel {
  /** Frees the weights. */
  readonly dispose: () => void;
}

/**
 * conv3×3(8) – relu – maxpool2 – dense(5), He-initialised from `seed`. Untrained: its labels
 * mean nothing, but its gradients are those of a real CNN, which is what the demo needs.
 */
export function toyConvNet(seed: number): ToyModel {
  const rng = Rng.seeded(seed);
  const filter = rng.normalTensor([3, 3, 3, 8], 0, Math.sqrt(2 / 27)) as tf.Tensor4D;
  const dense = rng.normalTensor([8 * 8 * 8, 5], 0, Math.sqrt(2 / 512)) as tf.Tensor2D;
  // Spread biases so that images carry different label sets (an untrained net has no labels of its own).
  const bias = rng.normalTensor([5], 0, 1);
  const scores = (x: tf.Tensor) =>
    tf.tidy(() => {
      const h = tf.maxPool(tf.relu(tf.conv2d(x as tf.Tensor4D, filter, 1, 'same')), 2, 2, 'valid');
      return tf.add(tf.matMul(tf.reshape(h, [x.shape[0] ?? 0, -1]), dense), bias) as tf.Tensor2D;
    });
  const model = defineModel({
    scores,
    numLabels: 5,
    labelNames: ['cat', 'dog', 'person', 'car', 'tree'],
    inputShape: [16, 16, 3],
    box: { lo: 0, hi: 1 },
  });
  return { ...model, dispose: () => tf.dispose([filter, dense, bias]) };
}
