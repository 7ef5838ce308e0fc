import * as tfl from '@tensorflow/tfjs-layers';

/** The final activation of a built model. */
export type OutputActivation = 'sigmoid' | 'linear';

/** Name of the layer that outputs the logits in every model built here. */
export const LOGITS_LAYER = 'logits';

/** Seed of layer `index` of a model built from `seed`: distinct and reproducible per layer. */
export function layerSeed(seed: number, index: number): number {
  return seed * 101 + index + 1;
}

/**
 * Adds the multi-label head: a linear Dense layer of `numLabels` units named `logits`, then a
 * separate `sigmoid` Activation layer when `output` is `'sigmoid'` (so training reads exact logits
 * and `fromLayersModel` bypasses the sigmoid).
 */
export function outputHead(
  features: tfl.SymbolicTensor,
  numLabels: number,
  output: OutputActivation,
  seed: number,
  index: number,
): tfl.SymbolicTensor {
  const logits = tfl.layers
    .dense({
      units: numLabels,
      name: LOGITS_LAYER,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: layerSeed(seed, index) }),
    })
    .apply(features) as tfl.SymbolicTensor;
  if (output === 'linear') return logits;
  return tfl.layers
    .activation({ activation: 'sigmoid', name: 'probabilities' })
    .apply(logits) as tfl.SymbolicTensor;
}
