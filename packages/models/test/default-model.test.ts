import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { selectSamples } from '@mlap/datasets';
import { loadDefaultDataset } from '@mlap/datasets/node';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { evaluateModel } from '../src/index.js';
import { defaultModelDir, loadDefaultModel } from '../src/node/index.js';
import { backend } from './shared-path.js';

describe('pre-trained default model', () => {
  it('is committed, under 2 MB, and records its test metrics', async () => {
    const dir = defaultModelDir();
    let bytes = 0;
    for (const file of await readdir(dir)) bytes += (await stat(join(dir, file))).size;
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    const { layers, model, info } = await loadDefaultModel();
    expect(model.labelNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(model.inputShape).toEqual([56, 56, 1]);
    const metrics = (info.metrics as { test: { mAP: number; exampleF1: number } }).test;
    expect(metrics.mAP).toBeGreaterThanOrEqual(0.95);
    expect(metrics.exampleF1).toBeGreaterThanOrEqual(0.9);
    layers.dispose();
  });

  it('reproduces its quality on (part of) the default test split', async () => {
    const { layers, info } = await loadDefaultModel();
    const { test } = await loadDefaultDataset();
    // cpu is ~30× slower: check a slice there, the whole split on wasm
    const n = backend === 'cpu' ? 100 : test.count;
    const subset = selectSamples(
      test,
      Array.from({ length: n }, (_, i) => i),
    );
    const metrics = evaluateModel(layers, subset, { box: info.box });
    expect(metrics.mAP).toBeGreaterThanOrEqual(n === test.count ? 0.95 : 0.9);
    expect(metrics.exampleF1).toBeGreaterThanOrEqual(n === test.count ? 0.9 : 0.85);
    const x = tf.zeros([1, 56, 56, 1]);
    const y = layers.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 10]);
    tf.dispose([x, y]);
    layers.dispose();
  });
});
