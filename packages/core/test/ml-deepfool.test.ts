import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  AttackAbortedError,
  defineModel,
  mlDeepFool,
  predictLabels,
  runAttack,
  type TargetVector,
} from '../src/index.js';
import { closedFormStep, linearModel, linearScores, norm2, take } from './helpers.js';

/** Targets flipping the labels listed per sample, from the clean prediction. */
function flipTargets(start: (0 | 1)[][], flips: number[][]): TargetVector[] {
  return start.map((labels, i) =>
    labels.map((v, j) => ((flips[i] ?? []).includes(j) ? 1 - v : v) as 0 | 1),
  );
}

describe('ML-DeepFool on a linear model (closed-form oracles, spec §4)', () => {
  it("'all' with η = 0 reaches W_ᵀ(WWᵀ)⁻¹(t − g(x)) in one step", async () => {
    const c = linearModel(11, 4, 10);
    const x = Rng.seeded(12).normalTensor([3, 10]);
    const xs = (await x.array()) as number[][];
    const start = await predictLabels(c.model, x);
    const targets = flipTargets(start, [[0], [1, 2], [3]]);
    const result = await runAttack(
      mlDeepFool,
      { model: c.model, inputs: x, targets },
      {
        constraints: 'all',
        overshoot: 0,
        maxIterations: 1,
      },
    );
    const r = (await result.perturbation.array()) as number[][];
    xs.forEach((xi, i) => {
      const expected = closedFormStep(c, xi, [0, 1, 2, 3], [0, 0, 0, 0]);
      const err = norm2(expected.map((v, k) => v - (r[i]?.[k] ?? 0)));
      expect(err, `sample ${i}`).toBeLessThan(1e-4 * Math.max(1, norm2(expected)));
    });
    result.dispose();
    x.dispose();
    c.dispose();
  });

  it("'violated' with η = 0 uses only the wrongly predicted labels", async () => {
    const c = linearModel(21, 5, 12);
    const x = Rng.seeded(22).normalTensor([2, 12]);
    const xs = (await x.array()) as number[][];
    const start = await predictLabels(c.model, x);
    const flips = [[1], [0, 4]];
    const targets = flipTargets(start, flips);
    const result = await runAttack(
      mlDeepFool,
      { model: c.model, inputs: x, targets },
      { overshoot: 0, maxIterations: 1 },
    );
    const r = (await result.perturbation.array()) as number[][];
    xs.forEach((xi, i) => {
      const rows = flips[i] ?? [];
      const expected = closedFormStep(
        c,
        xi,
        rows,
        rows.map(() => 0),
      );
      const err = norm2(expected.map((v, k) => v - (r[i]?.[k] ?? 0)));
      expect(err, `sample ${i}`).toBeLessThan(1e-4 * Math.max(1, norm2(expected)));
    });
    result.dispose();
    x.dispose();
    c.dispose();
  });

  it('succeeds with the default overshoot, and every success holds on the returned input', async () => {
    const c = linearModel(31, 6, 16);
    const x = Rng.seeded(32).normalTensor([4, 16]);
    const start = await predictLabels(c.model, x);
    const targets = start.map((labels) => labels.map((v) => (1 - v) as 0 | 1)); // extreme
    const result = await runAttack(mlDeepFool, { model: c.model, inputs: x, targets });
    const adv = (await result.adversarial.array()) as number[][];
    for (const s of result.samples) {
      expect(s.success).toBe(true);
      // Independent check in float64: every label on its target side.
      const g = linearScores(c, adv[s.index] ?? []);
      g.forEach((v, j) => {
        expect(v >= 0 ? 1 : 0, `sample ${s.index} label ${j}`).toBe(targets[s.index]?.[j]);
      });
      expect(s.iterations).toBeGreaterThanOrEqual(1);
      // Only the labels some sample's C can contain are differentiated after the first step.
      expect(s.gradientEvaluations).toBeLessThanOrEqual(s.iterations * 6);
      expect(s.gradientEvaluations).toBeGreaterThanOrEqual(6);
      expect(s.wrongLabels).toEqual([]);
    }
    result.dispose();
    x.dispose();
    c.dispose();
  });

  it('gives the same results from the needed labels’ gradients as from all of them', async () => {
    // A small CNN (kinks, pooling), so the Jacobian is not constant, and labels of both kinds.
    const rng = Rng.seeded(61);
    const filter = rng.normalTensor([3, 3, 2, 4], 0, 0.5) as tf.Tensor4D;
    const dense = rng.normalTensor([3 * 3 * 4, 7], 0, 0.5) as tf.Tensor2D;
    const model = defineModel({
      scores: (x) => {
        const h = tf.maxPool(
          tf.relu(tf.conv2d(x as tf.Tensor4D, filter, 1, 'same')),
          2,
          2,
          'valid',
        );
        return tf.matMul(tf.reshape(h, [x.shape[0] ?? 0, -1]), dense);
      },
      numLabels: 7,
      inputShape: [6, 6, 2],
      box: { lo: 0, hi: 1 },
    });
    const x = rng.uniformTensor([4, 6, 6, 2]);
    const start = await predictLabels(model, x);
    const flips = [[0], [1, 2], [3], [6]];
    const targets = flipTargets(start, flips).map((t, i) =>
      t.map((v, j) => (i === 1 && j === 5 ? null : v)),
    );
    for (const constraints of ['violated', 'all'] as const) {
      const runs = await Promise.all(
        (['needed', 'all'] as const).map((jacobianLabels) =>
          runAttack(mlDeepFool, { model, inputs: x, targets }, { constraints, jacobianLabels }),
        ),
      );
      const [needed, all] = runs as [(typeof runs)[0], (typeof runs)[0]];
      expect(await needed.adversarial.data()).toEqual(await all.adversarial.data());
      needed.samples.forEach((s, i) => {
        const other = all.samples[i];
        expect([s.success, s.iterations, s.l2]).toEqual([
          other?.success,
          other?.iterations,
          other?.l2,
        ]);
        expect(s.gradientEvaluations).toBeLessThanOrEqual(other?.gradientEvaluations ?? 0);
      });
      if (constraints === 'violated') {
        const fewer = needed.samples.some(
          (s, i) => s.gradientEvaluations < (all.samples[i]?.gradientEvaluations ?? 0),
        );
        expect(fewer).toBe(true);
      }
      for (const r of runs) r.dispose();
    }
    tf.dispose([x, filter, dense]);
  });

  it("'all' moves further than 'violated' (it also pushes already-right labels)", async () => {
    const c = linearModel(41, 6, 16);
    const x = Rng.seeded(42).normalTensor([3, 16]);
    const start = await predictLabels(c.model, x);
    const targets = flipTargets(start, [[0], [2], [5]]);
    const v = await runAttack(mlDeepFool, { model: c.model, inputs: x, targets });
    const a = await runAttack(
      mlDeepFool,
      { model: c.model, inputs: x, targets },
      { constraints: 'all' },
    );
    v.samples.forEach((s, i) => {
      expect(s.l2).toBeLessThan(a.samples[i]?.l2 ?? 0);
    });
    tf.dispose([x]);
    v.dispose();
    a.dispose();
    c.dispose();
  });

  it('reports labels with a zero gradient instead of dividing by zero', async () => {
    const c = linearModel(51, 3, 6);
    // A model whose label 2 ignores the input entirely.
    const model = {
      ...c.model,
      logits: (x: tf.Tensor) =>
        tf.tidy(() => tf.mul(c.model.logits(x), tf.tensor1d([1, 1, 0]))) as tf.Tensor2D,
    };
    const x = Rng.seeded(52).normalTensor([1, 6]);
    // Its logit is always 0, so p = 0.5 ≥ τ: label 2 stays present whatever the input.
    const targets: TargetVector[] = [[null, null, 0]];
    const result = await runAttack(mlDeepFool, { model, inputs: x, targets }, { maxIterations: 2 });
    expect(result.samples[0]?.success).toBe(false);
    expect(result.samples[0]?.details).toEqual({ zeroGradientLabels: [2] });
    result.dispose();
    x.dispose();
    c.dispose();
  });

  it('gives identical results for the same inputs, and stops within one iteration when aborted', async () => {
    const c = linearModel(61, 4, 8);
    const x = Rng.seeded(62).normalTensor([2, 8]);
    const start = await predictLabels(c.model, x);
    const targets = flipTargets(start, [[0, 1], [2]]);
    const a = await runAttack(mlDeepFool, { model: c.model, inputs: x, targets });
    const b = await runAttack(mlDeepFool, { model: c.model, inputs: x, targets });
    expect(await take(b.adversarial.clone())).toEqual(await take(a.adversarial.clone()));
    const controller = new AbortController();
    let seen = 0;
    const run = runAttack(mlDeepFool, {
      model: c.model,
      inputs: x,
      targets,
      signal: controller.signal,
      onProgress: (p) => {
        seen = p.iteration;
        if (p.iteration === 0) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(AttackAbortedError);
    expect(seen).toBe(0);
    a.dispose();
    b.dispose();
    x.dispose();
    c.dispose();
  });
});
