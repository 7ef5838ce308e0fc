// The first attack of docs/getting-started.md, run as a test so the guide stays true. The guide
// also calls setupBackend({ backend: 'cpu' }); here the shared test set-up has done that already.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { defineModel, mlDeepFool, planTargets, predictLabels, runAttack } from '../src/index.js';

it('runs the getting-started example', async () => {
  // A linear model: 4 features in [0, 1] → 3 labels, logits = x·W + b.
  const W = tf.tensor2d([
    [3, -1, 0.5],
    [-1, 3, 0.5],
    [0.5, 0.5, -3],
    [1, -1, 1],
  ]);
  const b = tf.tensor1d([-1.5, -1, 0.2]);
  const model = defineModel({
    scores: (x) => tf.add(tf.matMul(x as tf.Tensor2D, W), b),
    numLabels: 3,
    inputShape: [4],
    box: { lo: 0, hi: 1 },
    labelNames: ['cat', 'dog', 'bird'],
  });

  const inputs = tf.tensor2d([
    [0.9, 0.1, 0.2, 0.5],
    [0.2, 0.8, 0.1, 0.4],
    [0.7, 0.6, 0.1, 0.3],
  ]);
  const start = await predictLabels(model, inputs); // clean labels, e.g. [[1, 0, 1], …]
  const plan = planTargets({ kind: 'hideSingle' }, start, model, 7); // hide one present label each
  const batch = tf.gather(inputs, plan.indices);
  const result = await runAttack(mlDeepFool, { model, inputs: batch, targets: plan.targets });
  for (const s of result.samples) {
    console.log(s.start, '→', s.predicted, s.success ? 'success' : 'failure', s.l2.toFixed(3));
  }

  expect(start).toEqual([
    [1, 0, 1],
    [0, 1, 1],
    [1, 0, 1],
  ]);
  expect(plan.indices).toEqual([0, 1, 2]);
  expect(result.successRate).toBe(1);
  for (const s of result.samples) {
    expect(s.predicted).toEqual(s.target);
    expect(s.l2).toBeGreaterThan(0);
    expect(s.l2).toBeLessThan(0.5);
  }
  result.dispose();
  tf.dispose([batch, inputs, W, b]);
});
