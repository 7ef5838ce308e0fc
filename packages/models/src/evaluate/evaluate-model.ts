import { batches, type MultiLabelData } from '@mlap/datasets';
import type { Box } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { logitsOf } from '../training/logits-model.js';
import { type MultiLabelMetrics, multiLabelMetrics } from './metrics.js';

/** Sigmoid probabilities [count, L] of a LayersModel on a data set, computed in batches. */
export function predictProbabilities(
  model: tfl.LayersModel,
  data: MultiLabelData,
  options: { box?: Box; batchSize?: number } = {},
): Float32Array {
  const net = logitsOf(model);
  const L = data.labelNames.length;
  const out = new Float32Array(data.count * L);
  let offset = 0;
  for (const { x, y, indices } of batches(data, {
    batchSize: options.batchSize ?? 128,
    ...(options.box ? { box: options.box } : {}),
  })) {
    const p = tf.tidy(() => tf.sigmoid(net(x)));
    out.set(p.dataSync(), offset);
    offset += indices.length * L;
    tf.dispose([x, y, p]);
  }
  return out;
}

/**
 * Evaluates a multi-label LayersModel on a data set: mAP, example-based and micro F1, Hamming
 * loss, subset accuracy and precision@k (threshold 0.5 on the sigmoid probabilities by default).
 */
export function evaluateModel(
  model: tfl.LayersModel,
  data: MultiLabelData,
  options: { box?: Box; batchSize?: number; threshold?: number } = {},
): MultiLabelMetrics {
  const scores = predictProbabilities(model, data, options);
  return multiLabelMetrics(scores, data.labels, data.labelNames.length, options.threshold ?? 0.5);
}
