// Finished samples cost no passes (spec §3): the shared loops run on the active rows only once a
// quarter of the batch has stopped. A sample's result must not depend on its batch: attacked in
// a batch or alone, it gets the same iterate, iterations and success.
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { AttackContext } from '../src/attack/attack.js';
import {
  type Attack,
  bim,
  defineModel,
  type MultiLabelModel,
  mlCw,
  mlDeepFool,
  predictLabels,
  runAttack,
  type TargetVector,
  targetTensors,
} from '../src/index.js';
import { scatterRows, subContext } from '../src/optim/rows.js';

const L = 5;
const D = 6;

/** A seeded model g(x) = W·tanh(x) + b that records the batch size of every call. */
function spiedModel(seed: number): { model: MultiLabelModel; sizes: number[]; dispose(): void } {
  const rng = Rng.seeded(seed);
  const w = tf.tensor2d(
    Array.from({ length: L }, () => Array.from({ length: D }, () => rng.normal())),
  );
  const b = tf.tensor1d(Array.from({ length: L }, () => rng.normal(0, 0.5)));
  const sizes: number[] = [];
  const model = defineModel({
    scores: (x) => {
      sizes.push(x.shape[0] ?? 0);
      // Nonlinear, so that ML-DeepFool needs more than one step on some samples.
      const h = tf.tanh(tf.reshape(x, [x.shape[0] ?? 0, D]));
      return tf.add(tf.matMul(h, w, false, true), b);
    },
    numLabels: L,
    inputShape: [D],
    box: { lo: -50, hi: 50 },
  });
  return { model, sizes, dispose: () => tf.dispose([w, b]) };
}

/** Inputs of very different difficulty: some samples stop long before the others. */
function batch(seed: number, n: number): number[][] {
  const rng = Rng.seeded(seed);
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: D }, () => rng.normal() * (i % 3 === 0 ? 4 : 1)),
  );
}

async function targetsFor(model: MultiLabelModel, inputs: tf.Tensor): Promise<TargetVector[]> {
  const start = await predictLabels(model, inputs);
  return start.map((labels, i) =>
    labels.map((v, j) => (j === i % L || j === (i + 2) % L ? ((1 - v) as 0 | 1) : null)),
  );
}

interface Outcome {
  readonly adv: number[];
  readonly success: boolean;
  readonly iterations: number;
}

async function attack<O>(
  attackDef: Attack,
  model: MultiLabelModel,
  xs: number[][],
  targets: TargetVector[],
  options: O,
): Promise<Outcome[]> {
  const inputs = tf.tensor2d(xs);
  try {
    const result = await runAttack(attackDef, { model, inputs, targets }, options as never);
    const adv = (await result.adversarial.array()) as number[][];
    result.dispose();
    return result.samples.map((s, i) => ({
      adv: adv[i] ?? [],
      success: s.success,
      iterations: s.iterations,
    }));
  } finally {
    inputs.dispose();
  }
}

/** Attacks the batch, then every sample alone, and checks both agree sample by sample. */
async function sameAloneAndInBatch<O>(attackDef: Attack, options: O, n = 8): Promise<number[]> {
  const spy = spiedModel(7);
  try {
    const xs = batch(8, n);
    const inputs = tf.tensor2d(xs);
    const targets = await targetsFor(spy.model, inputs);
    inputs.dispose();
    spy.sizes.length = 0;
    const together = await attack(attackDef, spy.model, xs, targets, options);
    const sizes = [...spy.sizes];
    const iterations = together.map((s) => s.iterations);
    expect(new Set(iterations).size, 'samples stop at different times').toBeGreaterThan(1);
    for (let i = 0; i < n; i++) {
      const [alone] = await attack(
        attackDef,
        spy.model,
        [xs[i] ?? []],
        [targets[i] ?? []],
        options,
      );
      const inBatch = together[i];
      expect(inBatch?.success, `sample ${i} success`).toBe(alone?.success);
      expect(inBatch?.iterations, `sample ${i} iterations`).toBe(alone?.iterations);
      inBatch?.adv.forEach((v, k) => {
        expect(v, `sample ${i} value ${k}`).toBeCloseTo(alone?.adv[k] ?? Number.NaN, 5);
      });
    }
    return sizes;
  } finally {
    spy.dispose();
  }
}

describe('finished samples cost no passes (spec §3)', () => {
  it('subContext slices every per-sample field and scatterRows writes rows back', async () => {
    const targets: TargetVector[] = [
      [1, null, 0],
      [0, 1, null],
      [null, 0, 1],
    ];
    const inputs = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const target = targetTensors(targets);
    const spy = spiedModel(1);
    const context = {
      model: spy.model,
      inputs,
      targets,
      target,
      start: [
        [0, 0, 0],
        [1, 1, 1],
        [0, 1, 0],
      ],
      seed: 3,
      checkpoint: () => undefined,
    } as AttackContext;
    const sub = subContext(context, [0, 2]);
    expect(await sub.context.inputs.array()).toEqual([
      [1, 2],
      [5, 6],
    ]);
    expect(sub.context.targets).toEqual([targets[0], targets[2]]);
    expect(sub.context.start).toEqual([
      [0, 0, 0],
      [0, 1, 0],
    ]);
    expect(await sub.context.target.sign.array()).toEqual([
      [1, 0, -1],
      [0, -1, 1],
    ]);
    expect(await sub.context.target.care.array()).toEqual([
      [1, 0, 1],
      [0, 1, 1],
    ]);
    expect(await sub.context.target.present.array()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const values = tf.tensor2d([
      [7, 8],
      [9, 10],
    ]);
    const flags = tf.tensor1d([true, true], 'bool');
    const back = scatterRows(values, sub.indices, 3);
    const backFlags = scatterRows(flags, sub.indices, 3);
    expect(await back.array()).toEqual([
      [7, 8],
      [0, 0],
      [9, 10],
    ]);
    expect(backFlags.dtype).toBe('bool');
    expect(Array.from(await backFlags.data())).toEqual([1, 0, 1]);
    tf.dispose([values, flags, back, backFlags, inputs, target.sign, target.care, target.present]);
    sub.dispose();
    spy.dispose();
  });

  it('ML-CW: passes shrink to the active rows, each sample as if attacked alone', async () => {
    const sizes = await sameAloneAndInBatch(mlCw, {
      space: 'logit',
      maxIterations: 60,
      binarySearchSteps: 3,
      learningRate: 0.05,
    });
    expect(Math.min(...sizes)).toBeLessThan(8);
  });

  it('ML-DeepFool: the Jacobian only of the samples not done, each sample as if alone', async () => {
    const sizes = await sameAloneAndInBatch(mlDeepFool, { overshoot: 0.02, maxIterations: 20 });
    expect(Math.min(...sizes)).toBeLessThan(8);
  });

  it('BIM with early stop: gradients only of the active rows, each sample as if alone', async () => {
    const sizes = await sameAloneAndInBatch(bim, {
      norm: 'l2',
      epsilon: 6,
      iterations: 20,
    });
    expect(Math.min(...sizes)).toBeLessThan(8);
  });
});
