import { Rng } from '@mlap/tensor';
import { describe, expect, it } from 'vitest';
import { mlCw, predictLabels, runAttack, type TargetVector } from '../src/index.js';
import { closedFormStep, type LinearCase, linearModel, linearScores, norm2 } from './helpers.js';

/**
 * A sample and flips whose minimum-norm solution is the closed form on the flipped rows alone:
 * the other labels stay on their side at x + r*, and every multiplier pushes its label the way the
 * target asks (the KKT conditions of min ‖r‖ s.t. y*_j g_j(x + r) ≥ 0).
 */
function exactMinimum(c: LinearCase, x: number[], flips: number[]) {
  const g0 = linearScores(c, x);
  const r = closedFormStep(
    c,
    x,
    flips,
    flips.map(() => 0),
  );
  const g1 = linearScores(
    c,
    x.map((v, k) => v + (r[k] ?? 0)),
  );
  const others = g0.every((v, j) => flips.includes(j) || Math.sign(g1[j] ?? 0) === Math.sign(v));
  return others ? r : undefined;
}

describe('ML-CW on a linear model (spec §3, §10)', () => {
  it('finds perturbations within 5% of the closed-form minimum, verified on the returned input', async () => {
    const c = linearModel(101, 4, 8);
    const rng = Rng.seeded(102);
    // Pick well-conditioned cases whose minimum is the closed form (checked, not assumed).
    const xs: number[][] = [];
    const flips: number[][] = [];
    const minima: number[][] = [];
    while (xs.length < 3) {
      const x = Array.from({ length: 8 }, () => rng.normal());
      const f = [rng.int(0, 3)];
      const r = exactMinimum(c, x, f);
      if (r !== undefined && norm2(r) > 0.2) {
        xs.push(x);
        flips.push(f);
        minima.push(r);
      }
    }
    const { tensor2d } = await import('@tensorflow/tfjs-core');
    const inputs = tensor2d(xs);
    const start = await predictLabels(c.model, inputs);
    const targets: TargetVector[] = start.map((labels, i) =>
      labels.map((v, j) => ((flips[i] ?? []).includes(j) ? 1 - v : v) as 0 | 1),
    );
    const result = await runAttack(
      mlCw,
      { model: c.model, inputs, targets },
      { space: 'logit', maxIterations: 300, binarySearchSteps: 10 },
    );
    const adv = (await result.adversarial.array()) as number[][];
    result.samples.forEach((s, i) => {
      expect(s.success, `sample ${i}`).toBe(true);
      const g = linearScores(c, adv[i] ?? []);
      g.forEach((v, j) => {
        expect(v >= 0 ? 1 : 0).toBe(targets[i]?.[j]);
      });
      const ratio = s.l2 / norm2(minima[i] ?? []);
      expect(ratio, `sample ${i}`).toBeGreaterThan(0.999);
      expect(ratio, `sample ${i}`).toBeLessThan(1.05);
    });
    result.dispose();
    inputs.dispose();
    c.dispose();
  });
});

describe('ML-CW runs', () => {
  it('give identical results for the same inputs and stop within one iteration when aborted', async () => {
    const { AttackAbortedError } = await import('../src/index.js');
    const c = linearModel(111, 3, 6);
    const inputs = Rng.seeded(112).normalTensor([2, 6]);
    const start = await predictLabels(c.model, inputs);
    const targets: TargetVector[] = start.map((labels) => labels.map((v) => (1 - v) as 0 | 1));
    const options = { maxIterations: 30, binarySearchSteps: 3 };
    const a = await runAttack(mlCw, { model: c.model, inputs, targets }, options);
    const b = await runAttack(mlCw, { model: c.model, inputs, targets }, options);
    expect(Array.from(await b.adversarial.data())).toEqual(Array.from(await a.adversarial.data()));
    expect(b.samples).toEqual(a.samples);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = runAttack(
      mlCw,
      {
        model: c.model,
        inputs,
        targets,
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.iteration);
          if (p.iteration >= 5) controller.abort();
        },
      },
      options,
    );
    await expect(run).rejects.toThrow(AttackAbortedError);
    // Iterations are numbered across binary-search steps; the first one past the abort is the last.
    expect(seen.filter((i) => i >= 5)).toHaveLength(1);
    a.dispose();
    b.dispose();
    inputs.dispose();
    c.dispose();
  });
});
