import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  BoxError,
  clipToBox,
  fromTanhSpace,
  TANH_SCALE,
  toTanhSpace,
  validateBox,
} from '../src/index.js';
import { expectClose, read } from './helpers.js';

const atanh = (v: number) => 0.5 * Math.log((1 + v) / (1 - v));

describe('box and tanh space', () => {
  it('clips into the box', async () => {
    const x = tf.tensor1d([-3, 0, 0.5, 1, 7]);
    expectClose(await read(clipToBox(x, { lo: 0, hi: 1 })), [0, 0, 0.5, 1, 1]);
    x.dispose();
  });

  it('maps the box edges and centre to atanh(∓s), 0, atanh(±s)', async () => {
    const box = { lo: 0, hi: 255 };
    const x = tf.tensor1d([0, 127.5, 255, 63.75]);
    // 63.75 is a quarter of the range: x̃ = −0.5. The backend computes in float32, so the
    // oracle uses s rounded to float32 (atanh is steep near 1: the rounding moves it by 1e-3).
    const s = Math.fround(TANH_SCALE);
    const expected = [-atanh(s), 0, atanh(s), atanh(-0.5 * s)];
    expectClose(await read(toTanhSpace(x, box)), expected, 1e-4);
    x.dispose();
  });

  it('stays finite outside the box and round-trips inside it', async () => {
    const box = { lo: -1, hi: 2 };
    const x = tf.tensor1d([-5, -1, 0, 0.3, 1.9, 2, 9]);
    const w = toTanhSpace(x, box);
    const wv = await w.data();
    expect(Array.from(wv).every(Number.isFinite)).toBe(true);
    const back = await read(fromTanhSpace(w, box));
    // Round trip error: the scale s shrinks the box by 1e-6 of its width.
    expectClose(back, [-1, -1, 0, 0.3, 1.9, 2, 2], 3e-5 * 3);
    tf.dispose([x, w]);
  });

  it('maps any real tanh-space value inside the box', async () => {
    const w = tf.tensor1d([-1e6, -20, 0, 20, 1e6]);
    const x = await read(fromTanhSpace(w, { lo: 10, hi: 20 }));
    expectClose(x, [10, 10, 15, 20, 20]);
    w.dispose();
  });

  it('rejects malformed boxes with a BoxError', () => {
    expect(() => validateBox({ lo: 1, hi: 1 })).toThrow(BoxError);
    expect(() => validateBox({ lo: 0, hi: Number.NaN })).toThrow(/finite/);
    const x = tf.zeros([1]);
    expect(() => clipToBox(x, { lo: 2, hi: 1 })).toThrow(BoxError);
    x.dispose();
  });
});
