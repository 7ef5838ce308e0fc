import * as tf from '@tensorflow/tfjs-core';
import { checkLabelPair, take } from '../validate.js';

/**
 * Subset accuracy (exact match ratio): the fraction of samples whose predicted label set equals
 * the true one, as scikit-learn's `accuracy_score` on multilabel-indicator input.
 *
 * @param yTrue - true labels [N, L], 0/1
 * @param yPred - predicted labels [N, L], 0/1
 * @throws ShapeError when the shapes differ; ArgumentError for a label outside {0, 1}
 */
export function subsetAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): number {
  checkLabelPair(yTrue, yPred);
  return subsetAccuracyUnchecked(yTrue, yPred);
}

/** {@link subsetAccuracy} without validation. @internal */
export function subsetAccuracyUnchecked(yTrue: tf.Tensor, yPred: tf.Tensor): number {
  const [matches = 0] = take(
    tf.tidy(() => tf.sum(tf.cast(tf.all(tf.equal(yTrue, yPred), 1), 'int32'))),
  );
  return matches / (yTrue.shape[0] ?? 1);
}

/**
 * Hamming loss: the fraction of (sample, label) cells predicted wrongly, as scikit-learn's
 * `hamming_loss`.
 *
 * @param yTrue - true labels [N, L], 0/1
 * @param yPred - predicted labels [N, L], 0/1
 * @throws ShapeError when the shapes differ; ArgumentError for a label outside {0, 1}
 */
export function hammingLoss(yTrue: tf.Tensor, yPred: tf.Tensor): number {
  checkLabelPair(yTrue, yPred);
  return hammingLossUnchecked(yTrue, yPred);
}

/** {@link hammingLoss} without validation. @internal */
export function hammingLossUnchecked(yTrue: tf.Tensor, yPred: tf.Tensor): number {
  const [wrong = 0] = take(tf.tidy(() => tf.sum(tf.cast(tf.notEqual(yTrue, yPred), 'int32'))));
  return wrong / yTrue.size;
}
