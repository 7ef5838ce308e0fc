import * as tf from '@tensorflow/tfjs-core';
import { BoxError } from './errors/box-error.js';

/** The value range [lo, hi] every input must stay in (e.g. the pixel range of a model). */
export interface Box {
  /** Smallest allowed value. */
  readonly lo: number;
  /** Largest allowed value; must exceed `lo`. */
  readonly hi: number;
}

/**
 * The tanh change of variables maps [lo, hi] onto atanh(±s) with s slightly below 1, so that the
 * box edges stay finite: atanh(±1) is ±∞. The value matches the public ML-CW port (spec §3).
 */
export const TANH_SCALE = 0.999999;

/** Throws a {@link BoxError} unless lo and hi are finite and lo < hi. */
export function validateBox(box: Box, argument = 'box'): void {
  if (!Number.isFinite(box.lo) || !Number.isFinite(box.hi) || !(box.lo < box.hi)) {
    throw new BoxError(argument, box, 'lo and hi must be finite with lo < hi');
  }
}

/** Clips every value of `x` into the box. */
export function clipToBox<T extends tf.Tensor>(x: T, box: Box): T {
  validateBox(box);
  return tf.clipByValue(x, box.lo, box.hi);
}

/**
 * The tanh-space point w whose image under {@link fromTanhSpace} is (almost) `x`:
 * w = atanh(s·x̃) with x̃ = (x − lo)/(hi − lo)·2 − 1 and s = {@link TANH_SCALE}.
 * Values outside the box are first clipped to it, so the result is always finite.
 */
export function toTanhSpace<T extends tf.Tensor>(x: T, box: Box): T {
  validateBox(box);
  return tf.tidy(() => {
    const unit = tf.clipByValue(
      tf.sub(tf.mul(tf.div(tf.sub(x, box.lo), box.hi - box.lo), 2), 1),
      -1,
      1,
    );
    return tf.atanh(tf.mul(unit, TANH_SCALE)) as T;
  });
}

/**
 * Maps tanh-space values back into the box: (tanh(w) + 1)/2·(hi − lo) + lo. Every real w lands
 * inside [lo, hi], which is why box-constrained attacks optimise in this space.
 */
export function fromTanhSpace<T extends tf.Tensor>(w: T, box: Box): T {
  validateBox(box);
  return tf.tidy(
    () => tf.add(tf.mul(tf.div(tf.add(tf.tanh(w), 1), 2), box.hi - box.lo), box.lo) as T,
  );
}
