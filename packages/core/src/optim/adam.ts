import * as tf from '@tensorflow/tfjs-core';

/** Adam hyper-parameters (defaults of spec §3). */
export interface AdamSettings {
  /** Step size α. */
  readonly learningRate: number;
  /** Decay of the first-moment estimate (default 0.9). */
  readonly beta1?: number;
  /** Decay of the second-moment estimate (default 0.999). */
  readonly beta2?: number;
  /** Added to the denominator for stability (default 1e-8). */
  readonly epsilon?: number;
}

/**
 * Adam on a batch of variables with per-sample freezing: frozen samples keep both their value
 * and their moments, so a sample that stopped is not moved on stale moments (spec §3).
 */
export class MaskedAdam {
  #m: tf.Tensor;
  #v: tf.Tensor;
  #t = 0;
  readonly #lr: number;
  readonly #b1: number;
  readonly #b2: number;
  readonly #eps: number;

  /** @param shape - shape of the optimised batch tensor */
  constructor(shape: readonly number[], settings: AdamSettings) {
    this.#m = tf.zeros([...shape]);
    this.#v = tf.zeros([...shape]);
    this.#lr = settings.learningRate;
    this.#b1 = settings.beta1 ?? 0.9;
    this.#b2 = settings.beta2 ?? 0.999;
    this.#eps = settings.epsilon ?? 1e-8;
  }

  /**
   * One step: returns the updated value (the caller disposes the old one).
   * @param value - current variable values [N, ...]
   * @param gradient - loss gradient, same shape
   * @param active - float 0/1 per sample [N]: 0 freezes that sample
   */
  step(value: tf.Tensor, gradient: tf.Tensor, active: tf.Tensor1D): tf.Tensor {
    this.#t += 1;
    const t = this.#t;
    const next = tf.tidy(() => {
      const mask = tf.reshape(active, [
        active.shape[0],
        ...new Array<number>(value.rank - 1).fill(1),
      ]);
      const keep = tf.sub(1, mask);
      const m = tf.add(
        tf.mul(keep, this.#m),
        tf.mul(mask, tf.add(tf.mul(this.#m, this.#b1), tf.mul(gradient, 1 - this.#b1))),
      );
      const v = tf.add(
        tf.mul(keep, this.#v),
        tf.mul(mask, tf.add(tf.mul(this.#v, this.#b2), tf.mul(tf.square(gradient), 1 - this.#b2))),
      );
      const mHat = tf.div(m, 1 - this.#b1 ** t);
      const vHat = tf.div(v, 1 - this.#b2 ** t);
      const update = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.#eps)), tf.mul(mask, this.#lr));
      return { value: tf.sub(value, update), m, v };
    });
    tf.dispose([this.#m, this.#v]);
    this.#m = next.m;
    this.#v = next.v;
    return next.value;
  }

  /** Frees the moments. */
  dispose(): void {
    tf.dispose([this.#m, this.#v]);
  }
}
