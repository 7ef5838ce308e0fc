import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  AttackAbortedError,
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
      expect(s.gradientEvaluations).toBe(s.iterations * 6);
      expect(s.wrongLabels).toEqual([]);
    }
    result.dispose();
    x.dispose();
    c.dispose();
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
