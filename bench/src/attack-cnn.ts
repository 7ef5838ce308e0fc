import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';

/** Input shape of the attack-benchmark CNN: one 16×16 RGB image, values in [0, 1]. */
export const ATTACK_INPUT_SHAPE = [16, 16, 3] as const;
/** Labels of the attack-benchmark CNN. */
export const ATTACK_LABELS = 10;
/** Features entering the dense layer: 4×4×32 after two 2×2 max-pools. */
const FEATURES = 4 * 4 * 32;

/**
 * The weights of the attack-benchmark CNN as plain float32 arrays, in tfjs layouts: conv
 * filters HWIO, dense kernel [in, out] with `in` in the NHWC flatten order (h, w, c). Plain
 * arrays, not tensors, so every backend and the PyTorch script start from the same numbers.
 */
export interface AttackCnnWeights {
  readonly conv1: Float32Array; // [3, 3, 3, 16]
  readonly bias1: Float32Array; // [16]
  readonly conv2: Float32Array; // [3, 3, 16, 32]
  readonly bias2: Float32Array; // [32]
  readonly dense: Float32Array; // [512, L]
  readonly bias3: Float32Array; // [L]
}

/** Shapes of {@link AttackCnnWeights}, written next to the numbers in the exported case. */
export const ATTACK_WEIGHT_SHAPES: Record<keyof AttackCnnWeights, readonly number[]> = {
  conv1: [3, 3, 3, 16],
  bias1: [16],
  conv2: [3, 3, 16, 32],
  bias2: [32],
  dense: [FEATURES, ATTACK_LABELS],
  bias3: [ATTACK_LABELS],
};

/** A live CNN on the current backend: logits [N, L] from a batch [N, 16, 16, 3]. */
export interface AttackCnn {
  readonly logits: (x: tf.Tensor) => tf.Tensor2D;
  readonly dispose: () => void;
}

/** The convolutional trunk: [N, 16, 16, 3] → features [N, 512] in NHWC flatten order. */
function trunk(x: tf.Tensor, w: Record<keyof AttackCnnWeights, tf.Tensor>): tf.Tensor2D {
  const block = (input: tf.Tensor4D, filter: tf.Tensor, bias: tf.Tensor) =>
    tf.maxPool(
      tf.relu(tf.add(tf.conv2d(input, filter as tf.Tensor4D, 1, 'same'), bias)) as tf.Tensor4D,
      2,
      2,
      'valid',
    );
  const h = block(block(x as tf.Tensor4D, w.conv1, w.bias1), w.conv2, w.bias2);
  return tf.reshape(h, [x.shape[0] ?? 0, FEATURES]);
}

/**
 * conv3×3(16, same)-relu-maxpool2, conv3×3(32, same)-relu-maxpool2, dense(L) → logits, on the
 * current backend. The caller disposes it.
 */
export function attackCnn(weights: AttackCnnWeights): AttackCnn {
  const keys = Object.keys(ATTACK_WEIGHT_SHAPES) as (keyof AttackCnnWeights)[];
  const w = Object.fromEntries(
    keys.map((k) => [k, tf.tensor(weights[k], [...ATTACK_WEIGHT_SHAPES[k]], 'float32')]),
  ) as Record<keyof AttackCnnWeights, tf.Tensor>;
  const logits = (x: tf.Tensor) =>
    tf.tidy(() => tf.add(tf.matMul(trunk(x, w), w.dense as tf.Tensor2D), w.bias3) as tf.Tensor2D);
  return { logits, dispose: () => tf.dispose(Object.values(w)) };
}

/**
 * Seeded He-initialised weights, then a calibration of the dense layer on `calibration` inputs:
 * every label's logit is rescaled to spread ≈ N(−0.25, 2²) over those inputs. With raw weights
 * the ten logits share one sign on noise images (no multi-label structure to attack); calibrated,
 * each image has several present labels, each near enough its threshold to be flippable.
 */
export function attackCnnWeights(seed: number, calibration: tf.Tensor): AttackCnnWeights {
  const rng = Rng.derive(seed, 0);
  const normal = (shape: readonly number[], std: number) =>
    new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => rng.normal(0, std));
  const raw = {
    conv1: normal(ATTACK_WEIGHT_SHAPES.conv1, Math.sqrt(2 / 27)),
    bias1: normal([16], 0.05),
    conv2: normal(ATTACK_WEIGHT_SHAPES.conv2, Math.sqrt(2 / 144)),
    bias2: normal([32], 0.05),
    dense: normal(ATTACK_WEIGHT_SHAPES.dense, Math.sqrt(1 / FEATURES)),
    bias3: new Float32Array(ATTACK_LABELS),
  };
  const model = attackCnn(raw);
  const { mean, variance } = tf.tidy(() => tf.moments(model.logits(calibration), 0));
  const mu = mean.dataSync();
  const sd = variance.dataSync().map(Math.sqrt);
  tf.dispose([mean, variance]);
  model.dispose();
  const dense = raw.dense.map((v, k) => (v * 2) / (sd[k % ATTACK_LABELS] ?? 1));
  const bias3 = new Float32Array(ATTACK_LABELS).map(
    (_, j) => (-2 * (mu[j] ?? 0)) / (sd[j] ?? 1) - 0.25,
  );
  return { ...raw, dense, bias3 };
}
