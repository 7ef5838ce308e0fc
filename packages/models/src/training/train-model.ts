import { batches, type MultiLabelData } from '@mlap/datasets';
import { ArgumentError, type Box } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { logitsOf } from './logits-model.js';
import { type LossFunction, type LossName, lossFunction } from './losses.js';

/** Progress after one epoch. */
export interface EpochProgress {
  /** 0-based epoch just finished. */
  readonly epoch: number;
  /** Planned number of epochs. */
  readonly epochs: number;
  /** Mean training loss of the epoch. */
  readonly loss: number;
  /** Validation loss, when validation data was given. */
  readonly validationLoss: number | undefined;
  /** Epoch with the best validation loss so far. */
  readonly bestEpoch: number;
  /** Seconds since training started. */
  readonly seconds: number;
}

/** Options of {@link trainModel}. */
export interface TrainOptions {
  /** The model's input box; data ranges are mapped onto it (default { lo: 0, hi: 1 }). */
  readonly box?: Box;
  /** Loss: a built-in name or a function of (labels, logits) (default `'binary-cross-entropy'`). */
  readonly loss?: LossName | LossFunction;
  /** Maximum number of epochs (default 10). */
  readonly epochs?: number;
  /** Batch size (default 64). */
  readonly batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  readonly learningRate?: number;
  /** Seed of the shuffling (default 0); initial weights are seeded by the builder. */
  readonly seed?: number;
  /** Validation data for early stopping. */
  readonly validation?: MultiLabelData;
  /** Stop after this many epochs without a better validation loss (default 3). */
  readonly patience?: number;
  /** Restore the weights of the best validation epoch at the end (default true). */
  readonly restoreBest?: boolean;
  /** Called after every epoch. */
  readonly onEpoch?: (progress: EpochProgress) => void;
  /** Stops training after the current batch when aborted (the best weights are kept). */
  readonly signal?: AbortSignal;
  /**
   * Replaces each training batch's inputs before its step (e.g. with adversarial examples). It
   * gets the batch, the model as a logits function and a running batch counter (to seed from);
   * the caller disposes the returned tensor. Validation always uses the clean data.
   */
  readonly augment?: BatchAugmenter;
}

/** A hook of {@link TrainOptions.augment}: new inputs for a training batch. */
export type BatchAugmenter = (
  batch: { readonly x: tf.Tensor; readonly y: tf.Tensor2D; readonly step: number },
  logits: (x: tf.Tensor) => tf.Tensor2D,
) => Promise<tf.Tensor>;

/** What {@link trainModel} did. */
export interface TrainHistory {
  /** Progress of every epoch run. */
  readonly epochs: readonly EpochProgress[];
  /** The epoch whose weights the model holds at the end. */
  readonly bestEpoch: number;
  /** Whether early stopping (or the signal) ended training before `epochs`. */
  readonly stoppedEarly: boolean;
}

function meanLoss(
  net: (x: tf.Tensor) => tf.Tensor2D,
  data: MultiLabelData,
  loss: LossFunction,
  box: Box,
  batchSize: number,
): number {
  let total = 0;
  for (const { x, y, indices } of batches(data, { batchSize, box })) {
    const value = tf.tidy(() => loss(y, net(x)));
    total += (value.dataSync()[0] as number) * indices.length;
    tf.dispose([x, y, value]);
  }
  return total / Math.max(data.count, 1);
}

/**
 * Trains a multi-label LayersModel with Adam on its logits (binary cross-entropy by default, or
 * the pairwise ranking hinge), shuffling with a seed, with early stopping on a validation split
 * and a per-epoch progress callback. No dropout or other randomness: the same seed, model and data
 * give the same weights on the same backend.
 *
 * @example
 * const history = await trainModel(model, train, { validation, epochs: 20, onEpoch: console.log });
 */
export async function trainModel(
  model: tfl.LayersModel,
  train: MultiLabelData,
  options: TrainOptions = {},
): Promise<TrainHistory> {
  const {
    box = { lo: 0, hi: 1 },
    epochs = 10,
    batchSize = 64,
    learningRate = 1e-3,
    seed = 0,
    patience = 3,
    restoreBest = true,
  } = options;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new ArgumentError('epochs', `must be a positive integer; got ${epochs}`);
  }
  if (!(learningRate > 0))
    throw new ArgumentError('learningRate', `must be > 0; got ${learningRate}`);
  const loss =
    typeof options.loss === 'function'
      ? options.loss
      : lossFunction(options.loss ?? 'binary-cross-entropy');
  const net = logitsOf(model);
  const optimizer = tf.train.adam(learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const history: EpochProgress[] = [];
  const start = performance.now();
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | undefined;
  let stoppedEarly = false;
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      let total = 0;
      for (const { x, y, indices } of batches(train, {
        batchSize,
        box,
        shuffleSeed: seed * 10_007 + epoch,
      })) {
        const input =
          options.augment === undefined ? x : await options.augment({ x, y, step }, net);
        step++;
        const cost = optimizer.minimize(() => loss(y, net(input)), true, variables);
        total += (cost?.dataSync()[0] ?? 0) * indices.length;
        tf.dispose([x, y, input, cost as tf.Scalar]);
        if (options.signal?.aborted) break;
      }
      const validationLoss =
        options.validation === undefined
          ? undefined
          : meanLoss(net, options.validation, loss, box, batchSize);
      const monitored = validationLoss ?? total / train.count;
      if (monitored < best) {
        best = monitored;
        bestEpoch = epoch;
        if (restoreBest && options.validation !== undefined) {
          tf.dispose(bestWeights ?? []);
          bestWeights = model.getWeights().map((w) => tf.clone(w));
        }
      }
      const progress: EpochProgress = {
        epoch,
        epochs,
        loss: total / train.count,
        validationLoss,
        bestEpoch,
        seconds: (performance.now() - start) / 1000,
      };
      history.push(progress);
      options.onEpoch?.(progress);
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (options.signal?.aborted || epoch - bestEpoch >= patience) {
        stoppedEarly = epoch < epochs - 1;
        break;
      }
    }
    if (bestWeights !== undefined) model.setWeights(bestWeights);
  } finally {
    tf.dispose(bestWeights ?? []);
    optimizer.dispose();
  }
  return {
    epochs: history,
    bestEpoch: bestWeights === undefined ? history.length - 1 : bestEpoch,
    stoppedEarly,
  };
}
