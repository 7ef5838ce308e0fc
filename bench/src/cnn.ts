import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';

/** Labels of the benchmark CNN. */
export const LABELS = 20;

/** The benchmark CNN: a batch [N, 32, 32, 3] → label probabilities [N, 20], and its weights. */
export interface BenchCnn {
  readonly predict: (x: tf.Tensor) => tf.Tensor2D;
  readonly dispose: () => void;
}

/**
 * conv3×3(32)-relu, conv3×3(64)-relu-maxpool2, conv3×3(64)-relu-maxpool2, dense(20), sigmoid —
 * the same layers as `bench/torch/cnn_bench.py`, He-initialised from a seed.
 */
export function benchCnn(seed = 0): BenchCnn {
  const rng = Rng.seeded(seed);
  const conv = (inC: number, outC: number) =>
    rng.normalTensor([3, 3, inC, outC], 0, Math.sqrt(2 / (9 * inC))) as tf.Tensor4D;
  const w1 = conv(3, 32);
  const w2 = conv(32, 64);
  const w3 = conv(64, 64);
  const dense = rng.normalTensor([8 * 8 * 64, LABELS], 0, Math.sqrt(1 / 4096)) as tf.Tensor2D;
  const bias = tf.zeros([LABELS]);
  const predict = (x: tf.Tensor) =>
    tf.tidy(() => {
      let h = tf.relu(tf.conv2d(x as tf.Tensor4D, w1, 1, 'same'));
      h = tf.maxPool(tf.relu(tf.conv2d(h, w2, 1, 'same')), 2, 2, 'valid');
      h = tf.maxPool(tf.relu(tf.conv2d(h, w3, 1, 'same')), 2, 2, 'valid');
      const logits = tf.add(tf.matMul(tf.reshape(h, [x.shape[0] ?? 0, -1]), dense), bias);
      return tf.sigmoid(logits) as tf.Tensor2D;
    });
  return { predict, dispose: () => tf.dispose([w1, w2, w3, dense, bias]) };
}
