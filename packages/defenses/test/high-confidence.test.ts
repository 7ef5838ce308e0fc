import { defineModel, mlCw, runAttack, type TargetVector } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { highConfidenceMlCw } from '../src/index.js';

/** logits = x·W − 1 on x ∈ [0, 1]^4, two labels: W's columns are hand-picked directions. */
function linear() {
  const w = tf.tensor2d([
    [3, 0],
    [0, 3],
    [2, -1],
    [-1, 2],
  ]);
  const model = defineModel({
    scores: (x) => tf.sub(tf.matMul(x as tf.Tensor2D, w), 1),
    numLabels: 2,
    inputShape: [4],
    box: { lo: 0, hi: 1 },
  });
  return { model, w };
}

/** The smallest signed logit margin toward the target (threshold 0.5 ↔ logit 0), per sample. */
async function targetMargins(
  model: ReturnType<typeof linear>['model'],
  x: tf.Tensor,
  targets: readonly TargetVector[],
): Promise<number[]> {
  const t = model.logits(x);
  const logits = (await t.array()) as number[][];
  t.dispose();
  return logits.map((row, i) => Math.min(...row.map((g, j) => (targets[i]?.[j] ? g : -g))));
}

describe('highConfidenceMlCw', () => {
  it('returns inputs whose target margins reach κ, where ML-CW stops at the boundary', async () => {
    const { model, w } = linear();
    const x = tf.tensor2d([
      [0.6, 0.1, 0.2, 0.1],
      [0.1, 0.6, 0.1, 0.2],
    ]);
    const targets: TargetVector[] = [
      [0, 1],
      [1, 0],
    ];
    const options = {
      confidence: 1,
      space: 'logit',
      maxIterations: 100,
      binarySearchSteps: 4,
      learningRate: 0.1,
    } as const;
    const confident = await runAttack(highConfidenceMlCw, { model, inputs: x, targets }, options);
    const plain = await runAttack(mlCw, { model, inputs: x, targets }, options);
    expect(confident.successRate).toBe(1);
    const strong = await targetMargins(model, confident.adversarial, targets);
    const weak = await targetMargins(model, plain.adversarial, targets);
    for (const m of strong) expect(m).toBeGreaterThanOrEqual(1 - 1e-3);
    for (const m of weak) expect(m).toBeLessThan(0.5);
    confident.dispose();
    plain.dispose();
    tf.dispose([x, w]);
  });
});
