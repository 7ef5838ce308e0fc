// The complete example of docs/attack-contract.md, run as a test so the guide stays true.
import { inputGradient, l2Norm } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { classificationHinge, defineAttack, predictLabels, runAttack } from '../src/index.js';
import { linearModel } from './helpers.js';

/** Repeated unit-L2 steps down the ML-CW hinge, `steps` times, each of length `stepSize`. */
const l2Walk = defineAttack({
  name: 'l2-walk',
  requires: { gradients: true },
  options: z.object({
    steps: z.number().int().min(1).default(10),
    stepSize: z.number().positive().default(0.1),
  }),
  async run(context, options) {
    const { model, inputs } = context;
    let x = inputs.clone();
    for (let step = 0; step < options.steps; step++) {
      context.checkpoint(step, options.steps, inputs.shape[0] ?? 0); // progress + abort
      const { value, gradient } = inputGradient(
        (t) => classificationHinge(context, model.logits(t), 'logit', 0.5), // κ = 0.5: overshoot
        x,
      );
      const next = tf.tidy(() => {
        const norms = tf.reshape(l2Norm(gradient), [-1, ...new Array(x.rank - 1).fill(1)]);
        return tf.sub(x, tf.mul(tf.divNoNan(gradient, norms), options.stepSize));
      });
      tf.dispose([value, gradient, x]);
      x = next;
    }
    const n = inputs.shape[0] ?? 0;
    return {
      adversarial: x, // the driver clips it to the box and checks success itself
      iterations: new Array(n).fill(options.steps),
      gradientEvaluations: new Array(n).fill(options.steps),
    };
  },
});

it('runs the guide example through the contract', async () => {
  const c = linearModel(7, 3, 6);
  const inputs = tf.randomNormal([4, 6], 0, 1, 'float32', 1);
  const start = await predictLabels(c.model, inputs);
  // Flip label 0, don't care about the others.
  const targets = start.map((labels) =>
    labels.map((v, j) => (j === 0 ? ((1 - v) as 0 | 1) : null)),
  );
  const result = await runAttack(l2Walk, { model: c.model, inputs, targets }, { steps: 40 });
  expect(result.successRate).toBe(1);
  for (const s of result.samples) expect(s.l2).toBeLessThanOrEqual(40 * 0.1 + 1e-4);
  result.dispose();
  inputs.dispose();
  c.dispose();
});
