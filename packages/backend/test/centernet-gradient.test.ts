/**
 * The input gradient of a real converted graph model (MobileNetV3-CenterNet from `../shared`) on
 * wasm, which fails without mlap's kernels (its fused convolutions need Conv2DBackpropFilter),
 * and equals tf.grad's although mlap's backward pass skips those filter gradients.
 * wasm only: the same gradient takes minutes on the cpu backend.
 */
import { inputGradient, Rng } from '@mlap/tensor';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centerNetAvailable, centerNetScores, loadCenterNet } from './centernet-model.js';

const onWasm = process.env.MLAP_BACKEND === 'wasm';
const reason = !onWasm
  ? 'wasm project only (minutes on cpu)'
  : 'needs ../shared/models/centernet-coco next to the repository';

describe.skipIf(!onWasm || !centerNetAvailable())(`CenterNet input gradient (${reason})`, () => {
  let model: GraphModel;
  let x: tf.Tensor;

  beforeAll(async () => {
    model = await loadCenterNet();
    x = Rng.seeded(11).uniformTensor([1, 512, 512, 3], 0, 255);
  });

  afterAll(() => {
    model.dispose();
    x.dispose();
  });

  it('is finite, non-zero and input-shaped for the summed class scores', async () => {
    const { value, gradient } = inputGradient((t) => tf.sum(centerNetScores(model, t), 1), x);
    const values = await gradient.data();
    expect(gradient.shape).toEqual([1, 512, 512, 3]);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values.some((v) => v !== 0)).toBe(true);
    expect((await value.data())[0]).toBeGreaterThan(0);
    // mlap's backward pass skips the fused convolutions' filter gradients (~40 % of the time):
    // the input gradient is still tf.grad's, bit for bit.
    const reference = tf.grad((t: tf.Tensor) => tf.sum(centerNetScores(model, t)))(x);
    const expected = await reference.data();
    expect(Buffer.from(values.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    tf.dispose([value, gradient, reference]);
  });
});
