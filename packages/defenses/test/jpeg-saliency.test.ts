import { defineModel, type MultiLabelModel } from '@mlap/core';
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { jpeg, perturbationSaliency, saliencyPng, withInputTransform } from '../src/index.js';

async function values(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

/** A linear model on 8×8×1 images in [0, 255]: its input gradient is the same whatever the input. */
function linearModel(): { model: MultiLabelModel; dispose: () => void } {
  const w = Rng.seeded(2).normalTensor([64, 2], 0, 1) as tf.Tensor2D;
  const model = defineModel({
    scores: (x) => tf.matMul(tf.reshape(x, [x.shape[0] ?? 0, 64]), w),
    numLabels: 2,
    inputShape: [8, 8, 1],
    box: { lo: 0, hi: 255 },
    thresholds: [0.5, 0.5],
  });
  return { model, dispose: () => w.dispose() };
}

describe('JPEG re-encoding', () => {
  it('keeps shapes and the box, is deterministic and close to its input', async () => {
    const box = { lo: 0, hi: 255 };
    const x = tf.tidy(() => tf.mul(Rng.seeded(1).uniformTensor([2, 8, 8, 1]), 255));
    const input = await x.data();
    const y = jpeg(75, box)(x);
    expect(y.shape).toEqual([2, 8, 8, 1]);
    const a = await values(y);
    expect(await values(jpeg(75, box)(x))).toEqual(a);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(255);
    const meanError = a.reduce((s, v, i) => s + Math.abs(v - (input[i] ?? 0)), 0) / a.length;
    expect(meanError).toBeGreaterThan(0); // lossy
    expect(meanError).toBeLessThan(60);
    const flat = tf.fill([1, 8, 8, 3], 128);
    (await values(jpeg(90, box)(flat))).forEach((v) => {
      expect(Math.abs(v - 128)).toBeLessThanOrEqual(2);
    });
    tf.dispose([x, flat]);
  });

  it('encodes a batch of block-aligned images exactly as one image at a time', async () => {
    const box = { lo: 0, hi: 1 };
    const x = Rng.seeded(3).uniformTensor([3, 16, 8, 3]);
    const together = await values(jpeg(60, box)(x));
    const alone: number[] = [];
    for (let i = 0; i < 3; i++) {
      const one = tf.slice(x, i, 1);
      alone.push(...(await values(jpeg(60, box)(one))));
      one.dispose();
    }
    expect(together).toEqual(alone);
    x.dispose();
  });

  it('rejects bad qualities and shapes', () => {
    const box = { lo: 0, hi: 1 };
    expect(() => jpeg(0, box)).toThrow(/quality/);
    expect(() => jpeg(101, box)).toThrow(/quality/);
    const x = tf.zeros([1, 4, 4, 2]);
    expect(() => jpeg(50, box)(x)).toThrow(/jpeg/);
    x.dispose();
  });

  it('keeps the model contract; BPDA gradients equal the base model gradients', async () => {
    const { model, dispose } = linearModel();
    const wrapped = withInputTransform(model, jpeg(75, model.box), 'bpda');
    expect([wrapped.numLabels, wrapped.inputShape, wrapped.box, wrapped.thresholds]).toEqual([
      2,
      [8, 8, 1],
      { lo: 0, hi: 255 },
      [0.5, 0.5],
    ]);
    const x = tf.tidy(() => tf.mul(Rng.seeded(3).uniformTensor([1, 8, 8, 1]), 255));
    const loss = (m: MultiLabelModel) => (t: tf.Tensor) =>
      tf.sum(tf.slice(m.logits(t), [0, 1], [1, 1]));
    const bpda = await values(tf.grad(loss(wrapped))(x));
    const base = await values(tf.grad(loss(model))(x));
    expect(bpda).toEqual(base);
    x.dispose();
    dispose();
  });
});

describe('perturbation saliency', () => {
  it('sums |r| over channels, for single images and batches', async () => {
    const r = tf.tensor4d([1, -2, 0, 0, -3, 0.5, 0, 4], [1, 2, 2, 2]);
    expect(await values(perturbationSaliency(r))).toEqual([3, 0, 3.5, 4]);
    const single = tf.squeeze(r, [0]);
    const map = perturbationSaliency(single);
    expect(map.shape).toEqual([2, 2]);
    const flat = tf.zeros([4]);
    expect(() => perturbationSaliency(flat)).toThrow(/rank/);
    tf.dispose([r, single, map, flat]);
  });

  it('encodes a greyscale PNG scaled to the maximum, optionally enlarged', async () => {
    const map = tf.tensor2d([
      [0, 1],
      [2, 4],
    ]);
    const png = decode(await saliencyPng(map, { upscale: 2 }));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([4, 4, 1, 8]);
    expect(Array.from(png.data as Uint8Array).slice(0, 4)).toEqual([0, 0, 64, 64]);
    expect(Array.from(png.data as Uint8Array).slice(8, 12)).toEqual([128, 128, 255, 255]);
    const zero = tf.zeros([2, 2]);
    expect(Array.from(decode(await saliencyPng(zero)).data as Uint8Array)).toEqual([0, 0, 0, 0]);
    tf.dispose([map, zero]);
  });
});
