import { ArgumentError, type Box } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { defineModel, type ScoreKind } from './define-model.js';
import type { MultiLabelModel } from './multi-label-model.js';

/** The parts of a `tf.GraphModel` the adapter uses (structural: no tfjs-converter import). */
export interface GraphModelLike {
  /** Runs the graph on `inputs` and returns the named `outputs` (all outputs when omitted). */
  execute(
    inputs: tf.Tensor | tf.NamedTensorMap,
    outputs?: string | string[],
  ): tf.Tensor | tf.Tensor[];
  /** The graph's input nodes. */
  readonly inputs: readonly {
    /** The node's name. */
    readonly name: string;
    /** The node's shape, when the graph declares it (-1 or null for free dimensions). */
    readonly shape?: readonly number[];
  }[];
  /** The graph's output nodes. */
  readonly outputs: readonly {
    /** The node's name, as `execute` takes it. */
    readonly name: string;
  }[];
}

/** How per-position class maps (e.g. a detector's heatmaps [N, H, W, L]) become [N, L] scores. */
export type SpatialReduction = 'max' | 'mean' | 'none';

/** Options of {@link fromGraphModel}. */
export interface GraphAdapterOptions {
  /** The input box (e.g. { lo: 0, hi: 255 } for raw pixels). */
  readonly box: Box;
  /** Whether the chosen output holds logits or probabilities. */
  readonly output: ScoreKind;
  /** The output tensor to read (default: the model's first output). */
  readonly outputName?: string;
  /** Reduction over the axes between batch and labels (default `'none'`). */
  readonly reduce?: SpatialReduction;
  /** Label names; their count is the label count unless `numLabels` is given. */
  readonly labelNames?: readonly string[];
  /** Number of labels, when there are no names. */
  readonly numLabels?: number;
  /** Shape of one input (default: the model's declared input shape without the batch). */
  readonly inputShape?: readonly number[];
  /** Largest batch the graph accepts; bigger batches are split (1 for fixed-batch graphs). */
  readonly maxBatch?: number;
  /** Probability threshold(s) (default 0.5). */
  readonly thresholds?: number | readonly number[];
}

function reduceScores(t: tf.Tensor, reduce: SpatialReduction): tf.Tensor {
  if (reduce === 'none' || t.rank <= 2) return t;
  const axes = Array.from({ length: t.rank - 2 }, (_, i) => i + 1);
  return reduce === 'max' ? tf.max(t, axes) : tf.mean(t, axes);
}

function runGraph(
  model: GraphModelLike,
  x: tf.Tensor,
  outputName: string,
  maxBatch: number,
): tf.Tensor {
  const n = x.shape[0] ?? 0;
  if (n <= maxBatch) return model.execute(x, outputName) as tf.Tensor;
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < n; start += maxBatch) {
    const slice = tf.slice(x, start, Math.min(maxBatch, n - start));
    parts.push(model.execute(slice, outputName) as tf.Tensor);
  }
  return tf.concat(parts, 0);
}

/**
 * Adapts a tfjs-converter graph model: choose the output, optionally reduce per-position class
 * maps to image-level scores (`reduce: 'max'` turns a detector's class heatmaps into multi-label
 * scores, as CenterNet detects an object at a heatmap peak), and declare whether it holds logits.
 *
 * @example
 * const model = fromGraphModel(centernet, {
 *   box: { lo: 0, hi: 255 }, output: 'probabilities', outputName: 'tower_0/keypoints',
 *   reduce: 'max', labelNames: cocoLabels, maxBatch: 1,
 * });
 */
export function fromGraphModel(
  model: GraphModelLike,
  options: GraphAdapterOptions,
): MultiLabelModel {
  const outputName = options.outputName ?? model.outputs[0]?.name;
  if (outputName === undefined)
    throw new ArgumentError('outputName', 'the model declares no output');
  const numLabels = options.numLabels ?? options.labelNames?.length;
  if (numLabels === undefined) throw new ArgumentError('numLabels', 'give numLabels or labelNames');
  const declared = model.inputs[0]?.shape?.slice(1);
  const inputShape = options.inputShape ?? declared;
  if (inputShape === undefined || inputShape.some((d) => !(d > 0))) {
    throw new ArgumentError(
      'inputShape',
      `the model's input shape is not fixed ([${declared?.join(', ') ?? ''}]); give inputShape`,
    );
  }
  const maxBatch = options.maxBatch ?? Number.POSITIVE_INFINITY;
  return defineModel({
    scores: (x) => reduceScores(runGraph(model, x, outputName, maxBatch), options.reduce ?? 'none'),
    output: options.output,
    numLabels,
    inputShape,
    box: options.box,
    ...(options.labelNames === undefined ? {} : { labelNames: options.labelNames }),
    ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
  });
}
