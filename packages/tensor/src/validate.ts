import * as tf from '@tensorflow/tfjs-core';
import { type Box, validateBox } from './box.js';
import { BoxError } from './errors/box-error.js';
import { NonFiniteError } from './errors/non-finite-error.js';
import { ShapeError } from './errors/shape-error.js';

/** Turns a flat index into per-dimension indices of `shape` (row-major). */
export function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] ?? 1;
    out[d] = rest % size;
    rest = Math.floor(rest / size);
  }
  return out;
}

/**
 * Throws a {@link ShapeError} unless `x` has exactly the expected shape; `null` entries of
 * `expected` accept any size. The message names the first mismatching dimension.
 */
export function assertShape(
  x: tf.Tensor,
  expected: readonly (number | null)[],
  argument = 'x',
): void {
  if (x.rank !== expected.length) {
    throw new ShapeError(
      argument,
      x.shape,
      expected,
      `expected rank ${expected.length} ([${expected.map((e) => e ?? '*').join(', ')}])`,
    );
  }
  expected.forEach((want, dim) => {
    if (want !== null && x.shape[dim] !== want) {
      throw new ShapeError(
        argument,
        x.shape,
        expected,
        `dimension ${dim} is ${x.shape[dim]}, expected ${want}`,
      );
    }
  });
}

/** First flagged position of a boolean mask (undefined when none), as sample + position inside the sample, and count. */
function firstFlagged(
  mask: tf.Tensor,
): { sample: number; position: number[]; flat: number; count: number } | undefined {
  // Reduce on the backend first: the mask is only downloaded when something is flagged.
  if (!tf.tidy(() => tf.any(mask).dataSync()[0])) return undefined;
  const flags = mask.dataSync();
  const flat = flags.indexOf(1);
  if (flat < 0) return undefined;
  let count = 0;
  for (const f of flags) count += f;
  const [sample = 0, ...position] = unravelIndex(flat, mask.shape);
  return { sample, position, flat, count };
}

/**
 * Throws a {@link NonFiniteError} naming the first sample and position that holds NaN or ±∞.
 * The check runs on the backend; values are only downloaded when something is wrong.
 */
export function assertFinite(x: tf.Tensor, argument = 'x'): void {
  if (x.dtype !== 'float32' || x.size === 0) return;
  const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(x)));
  try {
    const hit = firstFlagged(bad);
    if (hit === undefined) return;
    const value = x.dataSync()[hit.flat] ?? Number.NaN;
    throw new NonFiniteError(argument, hit.sample, hit.position, value, hit.count);
  } finally {
    bad.dispose();
  }
}

/**
 * Throws a {@link BoxError} naming the first sample and position that lies outside [lo, hi]
 * by more than `tolerance`. NaN counts as outside.
 */
export function assertInBox(x: tf.Tensor, box: Box, argument = 'x', tolerance = 0): void {
  validateBox(box);
  if (x.size === 0) return;
  const outside = tf.tidy(() =>
    tf.logicalNot(
      tf.logicalAnd(tf.greaterEqual(x, box.lo - tolerance), tf.lessEqual(x, box.hi + tolerance)),
    ),
  );
  try {
    const hit = firstFlagged(outside);
    if (hit === undefined) return;
    const value = x.dataSync()[hit.flat] ?? Number.NaN;
    throw new BoxError(
      argument,
      box,
      `sample ${hit.sample} holds ${value} at [${hit.position.join(', ')}]` +
        (hit.count > 1 ? ` (${hit.count} values outside in all)` : ''),
      { sample: hit.sample, position: hit.position },
    );
  } finally {
    outside.dispose();
  }
}
