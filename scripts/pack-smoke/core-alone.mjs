// Runs in a fresh project that installed the packed @mlap/core (and what it pulls in),
// @tensorflow/tfjs-core and @tensorflow/tfjs, nothing else: builds a linear multi-label model by
// hand, attacks it with ML-DeepFool through the public API, and re-checks the result with plain
// JavaScript arithmetic instead of trusting the attack's own report.
// Without @mlap/backend the app registers what the libraries never do: in Node, importing
// @tensorflow/tfjs registers the gradient functions and the cpu backend (tfjs-core alone has
// neither).
import '@tensorflow/tfjs';
import { defineModel, mlDeepFool, planTargets, predictLabels, runAttack } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';

await tf.setBackend('cpu');

// logits = x·W + b: 4 features in [0, 1] → 3 labels (the model of docs/getting-started.md).
const W = [
  [3, -1, 0.5],
  [-1, 3, 0.5],
  [0.5, 0.5, -3],
  [1, -1, 1],
];
const b = [-1.5, -1, 0.2];
const inputs = [
  [0.9, 0.1, 0.2, 0.5],
  [0.2, 0.8, 0.1, 0.4],
  [0.7, 0.6, 0.1, 0.3],
];

/** The labels a linear model predicts at threshold 0.5, i.e. logit ≥ 0, in plain arithmetic. */
function labelsByHand(x) {
  return b.map((bias, j) => (x.reduce((sum, xi, i) => sum + xi * W[i][j], bias) >= 0 ? 1 : 0));
}

function fail(message) {
  console.error(`core-alone smoke test: ${message}`);
  process.exit(1);
}

const tW = tf.tensor2d(W);
const tb = tf.tensor1d(b);
const model = defineModel({
  scores: (x) => tf.add(tf.matMul(x, tW), tb),
  numLabels: 3,
  inputShape: [4],
  box: { lo: 0, hi: 1 },
  labelNames: ['cat', 'dog', 'bird'],
});
const x = tf.tensor2d(inputs);
const start = await predictLabels(model, x);
if (JSON.stringify(start) !== JSON.stringify(inputs.map(labelsByHand))) {
  fail(`clean labels ${JSON.stringify(start)} differ from the hand-computed ones`);
}
const plan = planTargets({ kind: 'hideSingle' }, start, model, 7);
const batch = tf.gather(x, plan.indices);
const result = await runAttack(mlDeepFool, { model, inputs: batch, targets: plan.targets });
const adversarial = await result.adversarial.array();

adversarial.forEach((row, k) => {
  const target = plan.targets[k];
  const labels = labelsByHand(row);
  if (target.some((t, j) => t !== null && t !== labels[j])) {
    fail(`sample ${k}: labels ${labels} by hand miss target ${JSON.stringify(target)}`);
  }
  if (row.some((v) => v < 0 || v > 1)) fail(`sample ${k} leaves the box [0, 1]`);
  if (!result.samples[k].success) fail(`sample ${k}: runAttack reports failure`);
});
if (adversarial.length !== inputs.length) fail(`only ${adversarial.length} samples were attacked`);
const l2 = result.samples.map((s) => s.l2.toFixed(3)).join(', ');
console.log(`@mlap/core alone: ML-DeepFool reached every target (checked by hand), L2 ${l2}`);
result.dispose();
tf.dispose([batch, x, tW, tb]);
