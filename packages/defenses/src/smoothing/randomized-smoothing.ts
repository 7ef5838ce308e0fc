import { defineModel, type MultiLabelModel, probabilitiesToLogits } from '@mlap/core';
import { ArgumentError, clipToBox, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';

/** Options of the noise-based defenses. */
export interface NoiseOptions {
  /** Standard deviation of the Gaussian noise, in input units. */
  readonly sigma: number;
  /** Noisy copies per input. */
  readonly samples?: number;
  /** Seed of the noise stream. */
  readonly seed?: number;
}

function check(options: NoiseOptions): Required<NoiseOptions> {
  const { sigma, samples = 8, seed = 0 } = options;
  if (!(sigma > 0)) throw new ArgumentError('sigma', `must be > 0; got ${sigma}`);
  if (!Number.isInteger(samples) || samples < 1)
    throw new ArgumentError('samples', `must be an integer ≥ 1; got ${samples}`);
  return { sigma, samples, seed };
}

/**
 * `samples` noisy copies of a batch, [samples · N, ...], drawn from the stream `Rng.derive(seed, call)`
 * in JavaScript, so the same seed and call sequence give the same noise on every backend.
 */
export function noisyCopies(
  x: tf.Tensor,
  box: { lo: number; hi: number },
  o: Required<NoiseOptions>,
  call: number,
): tf.Tensor {
  return tf.tidy(() => {
    const noise = Rng.derive(o.seed, call).normalTensor([o.samples, ...x.shape], 0, o.sigma);
    const copies = tf.add(tf.expandDims(x, 0), noise);
    return clipToBox(tf.reshape(copies, [o.samples * (x.shape[0] ?? 0), ...x.shape.slice(1)]), box);
  });
}

/**
 * Multi-label randomised smoothing as a model: the label probabilities are the average of σ(g) over
 * Gaussian-noised copies of the input. Its gradient is the expectation over the noise (EOT), so
 * gradient attacks on it are already the adaptive ones. Each call draws fresh noise from the seeded
 * stream: runs are reproducible, single calls are random.
 */
export function randomizedSmoothing(
  model: MultiLabelModel,
  options: NoiseOptions,
): MultiLabelModel {
  const o = check(options);
  let call = 0;
  return defineModel({
    scores: (x) =>
      tf.tidy(() => {
        const n = x.shape[0] ?? 0;
        const probs = tf.sigmoid(model.logits(noisyCopies(x, model.box, o, call++)));
        return probabilitiesToLogits(
          tf.mean(tf.reshape(probs, [o.samples, n, model.numLabels]), 0),
        );
      }),
    numLabels: model.numLabels,
    inputShape: model.inputShape,
    box: model.box,
    thresholds: model.thresholds,
    ...(model.labelNames === undefined ? {} : { labelNames: model.labelNames }),
  });
}

/**
 * Per-sample instability: the fraction of noisy copies whose predicted label set differs from the
 * prediction on the input itself. Adversarial inputs sit close to decision boundaries, so their
 * label sets tend to break under noise; a detector flags inputs above a calibrated threshold.
 */
export async function noiseInstability(
  model: MultiLabelModel,
  x: tf.Tensor,
  options: NoiseOptions,
): Promise<number[]> {
  const o = check(options);
  const n = x.shape[0] ?? 0;
  const changed = tf.tidy(() => {
    const tau = tf.tensor1d(model.thresholds as number[]);
    const clean = tf.greaterEqual(tf.sigmoid(model.logits(x)), tau);
    const noisy = tf.greaterEqual(tf.sigmoid(model.logits(noisyCopies(x, model.box, o, 0))), tau);
    const differs = tf.any(
      tf.notEqual(tf.reshape(noisy, [o.samples, n, model.numLabels]), tf.expandDims(clean, 0)),
      2,
    );
    return tf.mean(tf.cast(differs, 'float32'), 0);
  });
  const values = Array.from(await changed.data());
  changed.dispose();
  return values;
}
