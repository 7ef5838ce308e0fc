import * as tf from '@tensorflow/tfjs-core';
import { broadcastPerSample } from './batch.js';
import { ArgumentError } from './errors/argument-error.js';
import { l2Norm } from './norms.js';

/** A ball radius: one for all samples, or one per sample (array or 1-D tensor of length N). */
export type Radius = number | readonly number[] | tf.Tensor1D;

function checkRadius(eps: Radius): void {
  const values = typeof eps === 'number' ? [eps] : eps instanceof tf.Tensor ? [] : eps;
  for (const v of values) {
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new ArgumentError('eps', `radius must be finite and ≥ 0; got ${v}`);
    }
  }
}

/**
 * Projects each sample's perturbation onto the ℓ2 ball of radius eps:
 * r_i · min(1, eps_i / ‖r_i‖₂). Perturbations already inside are returned unchanged.
 */
export function projectL2Ball<T extends tf.Tensor>(r: T, eps: Radius): T {
  checkRadius(eps);
  return tf.tidy(() => {
    const radius = broadcastPerSample(eps, r, 'eps');
    const norms = tf.reshape(l2Norm(r), radius.shape);
    // Where ‖r‖ = 0 the factor is irrelevant; divNoNan avoids 0/0.
    const factor = tf.minimum(1, tf.divNoNan(radius, norms));
    return tf.mul(r, factor) as T;
  });
}

/** Projects each sample's perturbation onto the ℓ∞ ball of radius eps: clip to [−eps_i, eps_i]. */
export function projectLinfBall<T extends tf.Tensor>(r: T, eps: Radius): T {
  checkRadius(eps);
  return tf.tidy(() => {
    const radius = broadcastPerSample(eps, r, 'eps');
    return tf.minimum(tf.maximum(r, tf.neg(radius)), radius) as T;
  });
}
