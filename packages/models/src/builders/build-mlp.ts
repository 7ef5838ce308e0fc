import { ArgumentError } from '@mlap/tensor';
import * as tfl from '@tensorflow/tfjs-layers';
import { layerSeed, type OutputActivation, outputHead } from './output-head.js';

/** Options of {@link buildMlp}. */
export interface MlpOptions {
  /** Shape of one input, e.g. [103] (inputs of higher rank are flattened). */
  readonly inputShape: readonly number[];
  /** Number of labels L. */
  readonly numLabels: number;
  /** Units of each hidden ReLU layer (default [128]). */
  readonly hidden?: readonly number[];
  /** Final activation (default `'sigmoid'`; `'linear'` outputs logits). */
  readonly output?: OutputActivation;
  /** Seed of the weight initialisation (default 0). */
  readonly seed?: number;
}

/**
 * A multi-layer perceptron for multi-label output: [flatten] → Dense(ReLU) × k → Dense(L) logits
 * → sigmoid. Seeded: the same options give the same initial weights on every backend. Adapt it
 * with `fromLayersModel(model, { box, labelNames })` from `@mlap/core`.
 *
 * @example
 * const model = buildMlp({ inputShape: [103], numLabels: 14, hidden: [256], seed: 1 });
 */
export function buildMlp(options: MlpOptions): tfl.LayersModel {
  const { inputShape, numLabels, hidden = [128], output = 'sigmoid', seed = 0 } = options;
  if (!Number.isInteger(numLabels) || numLabels < 1) {
    throw new ArgumentError('numLabels', `must be a positive integer; got ${numLabels}`);
  }
  if (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ArgumentError(
      'inputShape',
      `must be positive integers; got [${inputShape.join(', ')}]`,
    );
  }
  if (hidden.some((u) => !Number.isInteger(u) || u < 1)) {
    throw new ArgumentError(
      'hidden',
      `units must be positive integers; got [${hidden.join(', ')}]`,
    );
  }
  const input = tfl.input({ shape: [...inputShape] });
  let h: tfl.SymbolicTensor = input;
  if (inputShape.length > 1) h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
  hidden.forEach((units, i) => {
    h = tfl.layers
      .dense({
        units,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({ seed: layerSeed(seed, i) }),
      })
      .apply(h) as tfl.SymbolicTensor;
  });
  const out = outputHead(h, numLabels, output, seed, hidden.length);
  return tfl.model({ inputs: input, outputs: out, name: 'mlap_mlp' });
}
