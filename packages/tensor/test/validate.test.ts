import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  assertFinite,
  assertInBox,
  assertShape,
  BoxError,
  MlapError,
  NonFiniteError,
  ShapeError,
  unravelIndex,
} from '../src/index.js';

function caught(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('validation', () => {
  it('unravels flat indices row-major', () => {
    expect(unravelIndex(0, [2, 3, 4])).toEqual([0, 0, 0]);
    expect(unravelIndex(23, [2, 3, 4])).toEqual([1, 2, 3]);
    expect(unravelIndex(13, [2, 3, 4])).toEqual([1, 0, 1]);
  });

  it('names the mismatching dimension in a ShapeError', () => {
    const x = tf.zeros([4, 32, 31, 3]);
    assertShape(x, [null, 32, 31, 3]);
    const error = caught(() => assertShape(x, [null, 32, 32, 3], 'images'));
    expect(error).toBeInstanceOf(ShapeError);
    expect(MlapError.isInstance(error) && error.code).toBe('shape');
    expect(String(error)).toMatch(/images: dimension 2 is 31, expected 32/);
    expect(() => assertShape(x, [null, 32, 32])).toThrow(/expected rank 3/);
    x.dispose();
  });

  it('names the first non-finite sample and position', () => {
    const values = new Float32Array(2 * 3 * 2);
    values[1 * 6 + 1 * 2 + 0] = Number.NaN; // sample 1, position [1, 0]
    values[1 * 6 + 2 * 2 + 1] = Number.POSITIVE_INFINITY; // sample 1, position [2, 1]
    const x = tf.tensor(values, [2, 3, 2]);
    const error = caught(() => assertFinite(x, 'images'));
    expect(NonFiniteError.isInstance(error)).toBe(true);
    const e = error as NonFiniteError;
    expect([e.sample, ...e.position]).toEqual([1, 1, 0]);
    expect(e.value).toBeNaN();
    expect(e.message).toMatch(/2 non-finite values/);
    const ok = tf.ones([3, 2]);
    expect(() => assertFinite(ok)).not.toThrow();
    tf.dispose([x, ok]);
  });

  it('names the first out-of-box sample and treats NaN as outside', () => {
    const x = tf.tensor2d([
      [0, 0.5],
      [1, 1.2],
    ]);
    const error = caught(() => assertInBox(x, { lo: 0, hi: 1 }, 'images'));
    expect(error).toBeInstanceOf(BoxError);
    expect((error as BoxError).sample).toBe(1);
    expect((error as BoxError).position).toEqual([1]);
    expect(() => assertInBox(x, { lo: 0, hi: 1 }, 'images', 0.25)).not.toThrow();
    const nan = tf.tensor1d([Number.NaN]);
    expect(() => assertInBox(nan, { lo: 0, hi: 1 })).toThrow(BoxError);
    tf.dispose([x, nan]);
  });
});
