import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MultiLabelData } from '@mlap/datasets';
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  buildCnn,
  buildMlp,
  type EpochProgress,
  evaluateModel,
  ModelFileError,
  trainModel,
} from '../src/index.js';
import { loadLayersModelFiles, saveModelFiles } from '../src/node/index.js';

/** A learnable toy task: label j is on when feature j exceeds 0.5. */
function toyData(count: number, seed: number): MultiLabelData {
  const rng = Rng.seeded(seed);
  const features = new Float32Array(count * 6).map(() => rng.uniform());
  const labels = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < 3; j++) labels[i * 3 + j] = (features[i * 6 + j] as number) > 0.5 ? 1 : 0;
  }
  return {
    features,
    labels,
    count,
    sampleShape: [6],
    labelNames: ['a', 'b', 'c'],
    range: { lo: 0, hi: 1 },
  };
}

describe('trainModel', () => {
  it('learns a toy task with BCE, reports progress, and is reproducible', async () => {
    const run = async () => {
      const model = buildMlp({ inputShape: [6], numLabels: 3, hidden: [16], seed: 1 });
      const seen: EpochProgress[] = [];
      const history = await trainModel(model, toyData(256, 1), {
        epochs: 8,
        batchSize: 32,
        learningRate: 0.02,
        validation: toyData(64, 2),
        onEpoch: (p) => seen.push(p),
      });
      const metrics = evaluateModel(model, toyData(128, 3));
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return { history, seen, metrics, weights };
    };
    const a = await run();
    expect(a.seen.length).toBe(a.history.epochs.length);
    expect(a.seen.at(-1)?.loss).toBeLessThan(a.seen[0]?.loss as number);
    expect(a.metrics.mAP).toBeGreaterThan(0.9);
    const b = await run();
    expect(b.weights).toEqual(a.weights);
  });

  it('trains with the pairwise ranking hinge and stops early', async () => {
    const model = buildMlp({
      inputShape: [6],
      numLabels: 3,
      hidden: [8],
      seed: 4,
      output: 'linear',
    });
    const history = await trainModel(model, toyData(128, 5), {
      loss: 'pairwise-hinge',
      epochs: 30,
      learningRate: 0.5, // far too high: validation loss stops improving quickly
      validation: toyData(32, 6),
      patience: 1,
    });
    expect(history.stoppedEarly).toBe(true);
    expect(history.bestEpoch).toBeLessThan(history.epochs.length);
    model.dispose();
  });
});

describe('save and load from files', () => {
  it('a trained model loads back with identical predictions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlap-model-'));
    try {
      const model = buildCnn({
        inputShape: [6, 6, 1],
        numLabels: 2,
        filters: [2],
        dense: 4,
        seed: 3,
      });
      const data: MultiLabelData = {
        features: new Float32Array(16 * 36).map((_, i) => ((i * 7919) % 13) / 13),
        labels: Uint8Array.from({ length: 32 }, (_, i) => (i % 3 === 0 ? 1 : 0)),
        count: 16,
        sampleShape: [6, 6, 1],
        labelNames: ['p', 'q'],
        range: { lo: 0, hi: 1 },
      };
      await trainModel(model, data, { epochs: 1, batchSize: 8 });
      const path = await saveModelFiles(model, dir, { labelNames: ['p', 'q'] });
      const loaded = await loadLayersModelFiles(path);
      const x = tf.tensor(data.features, [16, 6, 6, 1]);
      const before = model.predict(x) as tf.Tensor;
      const after = loaded.predict(x) as tf.Tensor;
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(before, after))));
      expect(diff.dataSync()[0]).toBeLessThanOrEqual(1e-6);
      expect(JSON.parse(await readFile(path, 'utf8')).userDefinedMetadata.labelNames).toEqual([
        'p',
        'q',
      ]);
      tf.dispose([x, before, after, diff]);
      model.dispose();
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('missing or malformed model files → ModelFileError naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlap-model-'));
    try {
      const missing = await loadLayersModelFiles(join(dir, 'model.json')).catch((e: unknown) => e);
      expect(ModelFileError.isInstance(missing)).toBe(true);
      expect(String(missing)).toMatch(/model\.json: file not found/);
      await writeFile(join(dir, 'bad.json'), '{"modelTopology": ');
      await expect(loadLayersModelFiles(join(dir, 'bad.json'))).rejects.toThrow(
        /bad\.json: malformed JSON/,
      );
      await writeFile(
        join(dir, 'noweights.json'),
        '{"modelTopology": {}, "weightsManifest": [{"paths": ["w.bin"], "weights": []}]}',
      );
      await expect(loadLayersModelFiles(join(dir, 'noweights.json'))).rejects.toThrow(
        /w\.bin: file not found/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
