import { ArgumentError, type Box } from '@mlap/tensor';
import type * as tf from '@tensorflow/tfjs-core';
import { defineModel } from './define-model.js';
import type { MultiLabelModel } from './multi-label-model.js';

/** An activation object as tfjs-layers stores it on a layer. */
export interface ActivationLike {
  /** Applies the activation to `x`. */
  apply(x: tf.Tensor, axis?: number): tf.Tensor;
  /** The activation's class name, e.g. `'sigmoid'` or `'linear'`. */
  getClassName(): string;
}

/** The parts of a tfjs-layers layer the adapter reads (structural: no tfjs-layers import). */
export interface LayerLike {
  /** The layer's configuration. */
  getConfig(): {
    /** The name of the layer's activation function, if it has one (e.g. `'sigmoid'`). */
    activation?: unknown;
  };
  /** The activation object the layer applies last, if it has one. */
  activation?: ActivationLike;
}

/** The parts of a `tf.LayersModel` the adapter uses. */
export interface LayersModelLike {
  /** Runs the model on a batch. */
  predict(x: tf.Tensor): tf.Tensor | tf.Tensor[];
  /** The model's layers in order; the last one's activation decides how logits are read. */
  readonly layers: readonly LayerLike[];
  /** The model's inputs (one is supported). */
  readonly inputs: readonly {
    /** The input's shape, `null` for the batch dimension. */
    readonly shape: readonly (number | null)[];
  }[];
  /** The model's outputs (one is supported). */
  readonly outputs: readonly {
    /** The output's shape, `null` for the batch dimension: [null, L] for L labels. */
    readonly shape: readonly (number | null)[];
  }[];
}

/** Options of {@link fromLayersModel}. */
export interface LayersAdapterOptions {
  /** The input box (e.g. { lo: 0, hi: 1 } for images scaled to [0, 1]). */
  readonly box: Box;
  /** Label names, in output order. */
  readonly labelNames?: readonly string[];
  /** Probability threshold(s) (default 0.5). */
  readonly thresholds?: number | readonly number[];
  /**
   * `'auto'` (default): a final sigmoid is bypassed to read exact logits, a final linear layer
   * gives logits; `'probabilities'` forces treating outputs as probabilities.
   */
  readonly output?: 'auto' | 'logits' | 'probabilities';
}

/** Stands in for a layer's sigmoid while predicting: tfjs-layers reads the class name to fuse. */
const identity: ActivationLike = { apply: (x) => x, getClassName: () => 'linear' };

function finalActivation(model: LayersModelLike): string {
  const last = model.layers.at(-1);
  const activation = last?.getConfig().activation;
  return typeof activation === 'string' ? activation : 'linear';
}

/** Runs predict with the last layer's activation bypassed: exact pre-sigmoid logits. */
function predictPreActivation(model: LayersModelLike, x: tf.Tensor): tf.Tensor {
  const last = model.layers.at(-1) as LayerLike;
  const saved = last.activation;
  last.activation = identity;
  try {
    return model.predict(x) as tf.Tensor;
  } finally {
    last.activation = saved;
  }
}

/**
 * Adapts a tfjs-layers model with one [N, L] output. A final sigmoid is bypassed so attacks work on
 * exact logits instead of saturated probabilities (spec §0); a softmax output is refused, since its
 * labels compete rather than being independent.
 *
 * @example
 * const model = fromLayersModel(await tf.loadLayersModel(handler), { box: { lo: 0, hi: 1 } });
 */
export function fromLayersModel(
  model: LayersModelLike,
  options: LayersAdapterOptions,
): MultiLabelModel {
  const inShape = model.inputs[0]?.shape ?? [];
  const outShape = model.outputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || outShape.length !== 2) {
    throw new ArgumentError('model', 'needs one input and one [N, L] output');
  }
  const activation = finalActivation(model);
  const mode = options.output ?? 'auto';
  if (mode === 'auto' && activation !== 'sigmoid' && activation !== 'linear') {
    throw new ArgumentError(
      'model',
      `final activation "${activation}" is not multi-label; use sigmoid or linear outputs, or pass output: 'probabilities'`,
    );
  }
  const bypass = mode === 'auto' && activation === 'sigmoid';
  return defineModel({
    scores: (x) => (bypass ? predictPreActivation(model, x) : (model.predict(x) as tf.Tensor)),
    output: mode === 'probabilities' ? 'probabilities' : 'logits',
    numLabels: outShape[1] ?? 0,
    inputShape: inShape.slice(1).map((d) => d ?? 0),
    box: options.box,
    ...(options.labelNames === undefined ? {} : { labelNames: options.labelNames }),
    ...(options.thresholds === undefined ? {} : { thresholds: options.thresholds }),
  });
}
