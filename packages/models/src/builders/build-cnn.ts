import { ArgumentError } from '@mlap/tensor';
import * as tfl from '@tensorflow/tfjs-layers';
import { layerSeed, type OutputActivation, outputHead } from './output-head.js';

/** Options of {@link buildCnn}. */
export interface CnnOptions {
  /** Shape of one image, [height, width, channels]. */
  readonly inputShape: readonly [number, number, number];
  /** Number of labels L. */
  readonly numLabels: number;
  /** Filters of each 3×3 conv block (ReLU, then 2×2 max-pooling); default [16, 32]. */
  readonly filters?: readonly number[];
  /** Units of the hidden Dense layer after the convolutions (default 64; 0 for none). */
  readonly dense?: number;
  /** Final activation (default `'sigmoid'`; `'linear'` outputs logits). */
  readonly output?: OutputActivation;
  /** Seed of the weight initialisation (default 0). */
  readonly seed?: number;
}

/**
 * A small convolutional network for multi-label images: (Conv 3×3 same + ReLU + MaxPool 2×2) per
 * entry of `filters` → Flatten → Dense(ReLU) → Dense(L) logits → sigmoid. Seeded. Adapt it with
 * `fromLayersModel(model, { box, labelNames })` from `@mlap/core`.
 *
 * @example
 * const model = buildCnn({ inputShape: [56, 56, 1], numLabels: 10, filters: [16, 32], seed: 0 });
 */
export function buildCnn(options: CnnOptions): tfl.LayersModel {
  const {
    inputShape,
    numLabels,
    filters = [16, 32],
    dense = 64,
    output = 'sigmoid',
    seed = 0,
  } = options;
  if (!Number.isInteger(numLabels) || numLabels < 1) {
    throw new ArgumentError('numLabels', `must be a positive integer; got ${numLabels}`);
  }
  if (inputShape.length !== 3 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ArgumentError(
      'inputShape',
      `must be [height, width, channels]; got [${inputShape.join(', ')}]`,
    );
  }
  if (filters.some((f) => !Number.isInteger(f) || f < 1)) {
    throw new ArgumentError('filters', `must be positive integers; got [${filters.join(', ')}]`);
  }
  if (!Number.isInteger(dense) || dense < 0) {
    throw new ArgumentError('dense', `must be a non-negative integer; got ${dense}`);
  }
  const input = tfl.input({ shape: [...inputShape] });
  let h: tfl.SymbolicTensor = input;
  filters.forEach((f, i) => {
    h = tfl.layers
      .conv2d({
        filters: f,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({ seed: layerSeed(seed, i) }),
      })
      .apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tfl.SymbolicTensor;
  });
  h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
  if (dense > 0) {
    h = tfl.layers
      .dense({
        units: dense,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({ seed: layerSeed(seed, filters.length) }),
      })
      .apply(h) as tfl.SymbolicTensor;
  }
  const out = outputHead(h, numLabels, output, seed, filters.length + 1);
  return tfl.model({ inputs: input, outputs: out, name: 'mlap_cnn' });
}
