import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { l1Norm, l2Norm, linfNorm, norm, relativeL2, rmsd } from '../src/index.js';
import { expectClose, read } from './helpers.js';

describe('per-sample norms', () => {
  // Three samples of shape [2, 2]: hand-computed norms below.
  const rows = [
    [3, -4, 0, 0], // L1 7, L2 5, L∞ 4
    [0, 0, 0, 0], // all 0
    [1, 2, -2, 4], // L1 9, L2 5, L∞ 4
  ];

  it('computes L1, L2 and L∞ over all non-batch dimensions', async () => {
    const x = tf.tensor(rows.flat(), [3, 2, 2]);
    expectClose(await read(l1Norm(x)), [7, 0, 9]);
    expectClose(await read(l2Norm(x)), [5, 0, 5]);
    expectClose(await read(linfNorm(x)), [4, 0, 4]);
    expectClose(await read(norm(x, 'inf')), [4, 0, 4]);
    expectClose(await read(norm(x, 1)), [7, 0, 9]);
    x.dispose();
  });

  it('gives 0 for samples with no elements and an empty result for an empty batch', async () => {
    const empty = tf.zeros([2, 0]);
    expectClose(await read(linfNorm(empty)), [0, 0]);
    expectClose(await read(l2Norm(empty)), [0, 0]);
    const none = tf.zeros([0, 3]);
    expect((await read(l2Norm(none))).length).toBe(0);
    tf.dispose([empty, none]);
  });

  it('computes relative L2 with the zero-input conventions', async () => {
    const r = tf.tensor2d([
      [3, 4],
      [0, 0],
      [1, 0],
    ]);
    const x = tf.tensor2d([
      [6, 8],
      [0, 0],
      [0, 0],
    ]);
    expectClose(await read(relativeL2(r, x)), [0.5, 0, Number.POSITIVE_INFINITY]);
    tf.dispose([r, x]);
  });

  it('computes RMSD on the 0–255 scale of the box', async () => {
    // ‖r‖₂ = 0.5 over d = 4 values: RMSD = 0.25 in box units, ×255 for a [0, 1] box.
    const r = tf.tensor([0.25, 0.25, 0.25, 0.25], [1, 2, 2]);
    expectClose(await read(rmsd(r)), [0.25]);
    expectClose(await read(rmsd(r, { lo: 0, hi: 1 })), [63.75]);
    expectClose(await read(rmsd(r, { lo: -1, hi: 1 })), [31.875]);
    r.dispose();
  });
});
