import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ArgumentError, BoxError, NonFiniteError, ShapeError } from '@mlap/tensor';
import * as tfc from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  defineModel,
  fromGraphModel,
  fromLayersModel,
  predictLabels,
  validateInputs,
} from '../src/index.js';
import { take } from './helpers.js';

describe('defineModel', () => {
  const base = { numLabels: 3, inputShape: [2], box: { lo: 0, hi: 1 } } as const;

  it('maps probability outputs to clamped logits', async () => {
    const model = defineModel({
      ...base,
      output: 'probabilities',
      scores: (x) => tf.tile(tf.tensor2d([[0.5, 0.9, 1]]), [x.shape[0] ?? 0, 1]),
    });
    const x = tf.zeros([2, 2]);
    const g = await take(model.logits(x));
    expect(g[0]).toBeCloseTo(0, 6);
    expect(g[1]).toBeCloseTo(Math.log(9), 4);
    // p = 1 is clamped to 1 − 1e-7 (in float32): a large but finite logit.
    expect(Number.isFinite(g[2])).toBe(true);
    expect(g[2]).toBeGreaterThan(15);
    x.dispose();
  });

  it('applies per-label thresholds to the float32 probability', async () => {
    const model = defineModel({
      ...base,
      thresholds: [0.5, 0.8, 0.1],
      scores: (x) => tf.tile(tf.tensor2d([[0, 1, -2]]), [x.shape[0] ?? 0, 1]),
    });
    const x = tf.zeros([1, 2]);
    // σ(0) = 0.5 ≥ 0.5; σ(1) = 0.73 < 0.8; σ(−2) = 0.12 ≥ 0.1.
    expect(await predictLabels(model, x)).toEqual([[1, 0, 1]]);
    x.dispose();
  });

  it('rejects malformed specs and wrong score shapes', () => {
    const scores = (x: tf.Tensor) => tf.zeros([x.shape[0] ?? 0, 3]);
    expect(() => defineModel({ ...base, scores, thresholds: [0.5, 1.2, 0.5] })).toThrow(/label 1/);
    expect(() => defineModel({ ...base, scores, thresholds: [0.5] })).toThrow(ArgumentError);
    expect(() => defineModel({ ...base, scores, labelNames: ['a'] })).toThrow(/3 names/);
    expect(() => defineModel({ ...base, scores, box: { lo: 1, hi: 0 } })).toThrow(BoxError);
    const bad = defineModel({ ...base, scores: (x) => tf.zeros([x.shape[0] ?? 0, 4]) });
    const x = tf.zeros([1, 2]);
    expect(() => bad.logits(x)).toThrow(/\[1, 3\]/);
    x.dispose();
  });

  it('validates inputs with typed errors naming sample and position', () => {
    const model = defineModel({ ...base, scores: (x) => tf.zeros([x.shape[0] ?? 0, 3]) });
    const wrong = tf.zeros([2, 3]);
    const nan = tf.tensor2d([
      [0, 0],
      [0.5, Number.NaN],
    ]);
    const outside = tf.tensor2d([
      [0, 0],
      [0.5, 1.5],
    ]);
    expect(() => validateInputs(model, wrong)).toThrow(ShapeError);
    expect(() => validateInputs(model, nan)).toThrow(NonFiniteError);
    expect(() => validateInputs(model, nan)).toThrow(/sample 1/);
    expect(() => validateInputs(model, outside)).toThrow(/sample 1 holds 1.5 at \[1\]/);
    tf.dispose([wrong, nan, outside]);
  });
});

describe('fromLayersModel', () => {
  it('reads exact logits through a final sigmoid, without saturating', async () => {
    const net = tfl.sequential({
      layers: [tfl.layers.dense({ units: 2, inputShape: [3], activation: 'sigmoid' })],
    });
    const weights = [
      tf.tensor2d([
        [1, 0],
        [0, 2],
        [0, 0],
      ]),
      tf.tensor1d([30, -1]),
    ];
    net.layers[0]?.setWeights(weights); // copies them
    tf.dispose(weights);
    const model = fromLayersModel(net, { box: { lo: -5, hi: 5 }, labelNames: ['a', 'b'] });
    const x = tf.tensor2d([[1, 1, 1]]);
    // Pre-activation: [1 + 30, 2 − 1]; a sigmoid output would give p = 1 and a clamped logit.
    const g = await take(model.logits(x));
    expect(g[0]).toBeCloseTo(31, 4);
    expect(g[1]).toBeCloseTo(1, 5);
    const p = await take(net.predict(x) as tf.Tensor);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 5); // the model itself is unchanged
    expect(model.inputShape).toEqual([3]);
    expect(model.numLabels).toBe(2);
    x.dispose();
    net.dispose();
  });

  it('refuses softmax outputs unless told they are probabilities', () => {
    const net = tfl.sequential({
      layers: [tfl.layers.dense({ units: 2, inputShape: [3], activation: 'softmax' })],
    });
    expect(() => fromLayersModel(net, { box: { lo: 0, hi: 1 } })).toThrow(/softmax/);
    expect(fromLayersModel(net, { box: { lo: 0, hi: 1 }, output: 'probabilities' }).numLabels).toBe(
      2,
    );
    net.dispose();
  });
});

describe('fromGraphModel', () => {
  /** A stand-in graph: per-position heatmaps [N, 2, 2, 3] in (0, 1), with a fixed batch of 1. */
  const fake = {
    inputs: [{ name: 'in', shape: [1, 2, 2, 1] }],
    outputs: [{ name: 'heat' }],
    execute(x: tf.Tensor | tf.NamedTensorMap) {
      const t = x as tf.Tensor;
      if (t.shape[0] !== 1) throw new Error('fixed batch of 1');
      return tf.sigmoid(tf.mul(tf.tile(t, [1, 1, 1, 3]), tf.tensor1d([1, -1, 2])));
    },
  };

  it('reduces heatmaps by their maximum and splits batches for fixed-batch graphs', async () => {
    const model = fromGraphModel(fake, {
      box: { lo: -3, hi: 3 },
      output: 'probabilities',
      reduce: 'max',
      numLabels: 3,
      maxBatch: 1,
    });
    const x = tf.tensor4d([0, 1, 2, -1, 0, 0, 0, -2], [2, 2, 2, 1]);
    const g = await take(model.logits(x));
    // logit(σ(z)) = z; max over positions of [x, −x, 2x].
    const expected = [2, 1, 4, 0, 2, 0];
    g.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] ?? 0, 3);
    });
    x.dispose();
  });

  const root = fileURLToPath(new URL('../../../../shared/models/centernet-coco/', import.meta.url));
  const real = existsSync(root) && process.env.MLAP_BACKEND === 'wasm';
  it.skipIf(!real)(
    'scores real photos-sized inputs with the pre-trained CenterNet (wasm; needs ../shared)',
    async () => {
      const json = JSON.parse(readFileSync(`${root}centernet.json`, 'utf8'));
      const weights = readFileSync(`${root}centernet.bin`);
      const graph = await tfc.loadGraphModel(
        tf.io.fromMemory({
          modelTopology: json.modelTopology,
          weightSpecs: json.weightsManifest[0].weights,
          weightData: weights.buffer.slice(
            weights.byteOffset,
            weights.byteOffset + weights.byteLength,
          ),
        }),
      );
      const labelNames = readFileSync(`${root}labels.txt`, 'utf8').trim().split('\n');
      const model = fromGraphModel(graph, {
        box: { lo: 0, hi: 255 },
        output: 'probabilities',
        outputName: 'tower_0/keypoints',
        reduce: 'max',
        labelNames,
        maxBatch: 1,
      });
      expect(model.numLabels).toBe(80);
      expect(model.inputShape).toEqual([512, 512, 3]);
      const x = tf.fill([1, 512, 512, 3], 128);
      const g = await take(model.logits(x));
      expect(g).toHaveLength(80);
      expect(g.every(Number.isFinite)).toBe(true);
      x.dispose();
      graph.dispose();
    },
  );
});
