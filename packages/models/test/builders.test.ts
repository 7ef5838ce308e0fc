import { fromLayersModel } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { buildCnn, buildMlp, logitsOf } from '../src/index.js';

describe('builders', () => {
  it('MLP: seeded weights, [N, L] sigmoid output, adapted with exact logits', () => {
    const a = buildMlp({ inputShape: [5], numLabels: 3, hidden: [4], seed: 2 });
    const b = buildMlp({ inputShape: [5], numLabels: 3, hidden: [4], seed: 2 });
    const c = buildMlp({ inputShape: [5], numLabels: 3, hidden: [4], seed: 3 });
    const wa = a.getWeights().map((w) => Array.from(w.dataSync()));
    expect(b.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(wa);
    expect(c.getWeights().map((w) => Array.from(w.dataSync()))).not.toEqual(wa);
    const x = tf.tensor2d([[0.1, 0.2, 0.3, 0.4, 0.5]]);
    const probabilities = a.predict(x) as tf.Tensor;
    const logits = logitsOf(a)(x);
    const adapted = fromLayersModel(a, { box: { lo: 0, hi: 1 }, labelNames: ['a', 'b', 'c'] });
    const viaCore = adapted.logits(x);
    expect(probabilities.shape).toEqual([1, 3]);
    expect(Array.from(viaCore.dataSync())).toEqual(Array.from(logits.dataSync()));
    const sig = tf.sigmoid(logits);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(sig, probabilities))));
    expect(diff.dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose([x, probabilities, logits, viaCore, sig, diff]);
    for (const m of [a, b, c]) m.dispose();
  });

  it('CNN: image input, linear output option', () => {
    const model = buildCnn({
      inputShape: [8, 8, 1],
      numLabels: 4,
      filters: [2],
      dense: 3,
      output: 'linear',
    });
    const x = tf.zeros([2, 8, 8, 1]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 4]);
    expect(model.layers.at(-1)?.name).toBe('logits');
    const adapted = fromLayersModel(model, { box: { lo: 0, hi: 1 } });
    expect(adapted.inputShape).toEqual([8, 8, 1]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('rejects bad options', () => {
    expect(() => buildMlp({ inputShape: [3], numLabels: 0 })).toThrow(/numLabels/);
    expect(() => buildMlp({ inputShape: [0], numLabels: 2 })).toThrow(/inputShape/);
    expect(() => buildCnn({ inputShape: [8, 8, 1], numLabels: 2, filters: [1.5] })).toThrow(
      /filters/,
    );
  });
});
