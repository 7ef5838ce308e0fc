import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ArgumentError, projectL2Ball, projectLinfBall, ShapeError } from '../src/index.js';
import { expectClose, read } from './helpers.js';

describe('ball projections', () => {
  it('projects onto the L2 ball per sample and leaves inner points alone', async () => {
    const r = tf.tensor2d([
      [3, 4],
      [0.3, 0.4],
      [0, 0],
    ]);
    expectClose(await read(projectL2Ball(r, 1)), [0.6, 0.8, 0.3, 0.4, 0, 0]);
    // Per-sample radii: 10 (inside), 0.25 (shrink by half), 1.
    expectClose(await read(projectL2Ball(r, [10, 0.25, 1])), [3, 4, 0.15, 0.2, 0, 0]);
    const radii = tf.tensor1d([2.5, 1, 1]);
    expectClose(await read(projectL2Ball(r, radii)), [1.5, 2, 0.3, 0.4, 0, 0]);
    tf.dispose([r, radii]);
  });

  it('clips onto the L∞ ball per sample on 4-D batches', async () => {
    const r = tf.tensor([-3, 0.5, 2, -0.1, 0.7, -0.7, 0.2, 5], [2, 2, 2, 1]);
    expectClose(await read(projectLinfBall(r, [1, 0.5])), [-1, 0.5, 1, -0.1, 0.5, -0.5, 0.2, 0.5]);
    r.dispose();
  });

  it('rejects negative, non-finite and mis-sized radii', () => {
    const r = tf.zeros([2, 3]);
    expect(() => projectL2Ball(r, -1)).toThrow(ArgumentError);
    expect(() => projectLinfBall(r, [1, Number.NaN])).toThrow(ArgumentError);
    expect(() => projectL2Ball(r, [1, 2, 3])).toThrow(ShapeError);
    r.dispose();
  });
});
