import { defineModel, type MultiLabelModel } from '@mlap/core';
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  bitDepth,
  gaussianBlur,
  medianFilter,
  noiseInstability,
  randomizedSmoothing,
  withInputTransform,
} from '../src/index.js';

async function values(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

/** A linear model on 2×2×1 images: its input gradient is W whatever the input. */
function linearImageModel(): { model: MultiLabelModel; dispose: () => void } {
  const w = tf.tensor2d([
    [1, -1],
    [2, 0],
    [0, 3],
    [-1, 1],
  ]);
  const model = defineModel({
    scores: (x) => tf.matMul(tf.reshape(x, [x.shape[0] ?? 0, 4]), w),
    numLabels: 2,
    labelNames: ['a', 'b'],
    inputShape: [2, 2, 1],
    box: { lo: 0, hi: 1 },
    thresholds: [0.5, 0.7],
  });
  return { model, dispose: () => w.dispose() };
}

describe('input transforms as model wrappers', () => {
  it('keep the model contract', () => {
    const { model, dispose } = linearImageModel();
    const wrapped = withInputTransform(model, bitDepth(3, model.box));
    expect([
      wrapped.numLabels,
      wrapped.labelNames,
      wrapped.inputShape,
      wrapped.box,
      wrapped.thresholds,
    ]).toEqual([2, ['a', 'b'], [2, 2, 1], { lo: 0, hi: 1 }, [0.5, 0.7]]);
    dispose();
  });

  it('bit-depth reduction rounds to the box levels; BPDA gradients are the identity through it', async () => {
    const { model, dispose } = linearImageModel();
    const x = tf.tensor4d([0.2, 0.6, 0.4, 0.9], [1, 2, 2, 1]);
    expect(await values(bitDepth(1, model.box)(x))).toEqual([0, 1, 0, 1]);
    const loss = (m: MultiLabelModel) => (t: tf.Tensor) =>
      tf.sum(tf.slice(m.logits(t), [0, 0], [1, 1]));
    const exact = await values(tf.grad(loss(withInputTransform(model, bitDepth(1, model.box))))(x));
    const bpda = await values(
      tf.grad(loss(withInputTransform(model, bitDepth(1, model.box), 'bpda')))(x),
    );
    expect(exact).toEqual([0, 0, 0, 0]); // rounding hides the gradient entirely
    expect(bpda).toEqual([1, 2, 0, -1]); // the first column of W: the base model's gradient
    x.dispose();
    dispose();
  });

  it('Gaussian blur keeps constant images and the box; median filtering removes an outlier', async () => {
    const flat = tf.fill([1, 5, 5, 2], 0.3);
    (await values(gaussianBlur(1)(flat))).forEach((v) => {
      expect(v).toBeCloseTo(0.3, 6);
    });
    const spike = tf.tensor4d(
      Array.from({ length: 25 }, (_, i) => (i === 12 ? 1 : 0.2)),
      [1, 5, 5, 1],
    );
    expect(new Set(await values(medianFilter(3)(spike)))).toEqual(
      new Set([0.2].map((v) => Math.fround(v))),
    );
    tf.dispose([flat, spike]);
  });
});

describe('randomised smoothing and noise instability', () => {
  it('is reproducible for a seed, and differs across seeds', async () => {
    const { model, dispose } = linearImageModel();
    const x = Rng.seeded(1).uniformTensor([3, 2, 2, 1]);
    const run = async (seed: number) => {
      const smooth = randomizedSmoothing(model, { sigma: 0.25, samples: 16, seed });
      return [await values(smooth.logits(x)), await values(smooth.logits(x))];
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect((await run(6))[0]).not.toEqual(a[0]);
    expect(a[1]).not.toEqual(a[0]); // fresh noise per call, from the same stream
    x.dispose();
    dispose();
  });

  it('flags inputs on a decision boundary as unstable and far ones as stable', async () => {
    const { model, dispose } = linearImageModel();
    // Sample 0: far from both thresholds; sample 1: logit of label a exactly at its threshold.
    const x = tf.tensor4d([1, 1, 1, 0, 0, 0, 0, 0], [2, 2, 2, 1]);
    const [far, near] = await noiseInstability(model, x, { sigma: 0.05, samples: 32, seed: 3 });
    expect(far).toBe(0);
    expect(near).toBeGreaterThan(0.2);
    x.dispose();
    dispose();
  });
});
