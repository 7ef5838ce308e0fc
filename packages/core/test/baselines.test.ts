import { ArgumentError, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  type Attack,
  bim,
  fgsm,
  miFgsm,
  pgd,
  predictLabels,
  runAttack,
  type TargetVector,
} from '../src/index.js';
import { linearModel, linearScores } from './helpers.js';

describe('gradient baselines (spec §6)', () => {
  it('FGSM takes one signed step of size ε along −sign(∇) of the hinge (hand-computed on a linear model)', async () => {
    const c = linearModel(201, 2, 5, { lo: -10, hi: 10 });
    const x = tf.tensor2d([[0.1, -0.2, 0.3, 0.05, -0.1]]);
    const start = await predictLabels(c.model, x);
    // Flip label 0 only; label 1 is not cared for, so the gradient is ±W_0.
    const targets: TargetVector[] = [[(1 - (start[0]?.[0] ?? 0)) as 0 | 1, null]];
    const result = await runAttack(
      fgsm,
      { model: c.model, inputs: x, targets },
      { epsilon: 0.25, earlyStop: false },
    );
    const y = 2 * (targets[0]?.[0] ?? 0) - 1;
    // ∇ of max(0, −y·g_0) is −y·W_0 where the hinge is active: the step is +ε·y·sign(W_0).
    const expected = (c.w[0] ?? []).map((w) => 0.25 * y * Math.sign(w));
    const r = (await result.perturbation.array()) as number[][];
    r[0]?.forEach((v, k) => {
      expect(v).toBeCloseTo(expected[k] ?? 0, 6);
    });
    result.dispose();
    x.dispose();
    c.dispose();
  });

  it('keep every iterate inside the ε-ball and the box, and succeed with enough budget', async () => {
    const c = linearModel(211, 4, 12, { lo: -3, hi: 3 });
    const x = Rng.seeded(212).uniformTensor([4, 12], -1, 1);
    const start = await predictLabels(c.model, x);
    const targets: TargetVector[] = start.map((labels) =>
      labels.map((v, j) => (j === 0 ? 1 - v : v) as 0 | 1),
    );
    const runs: [Attack, { norm?: 'l2'; epsilon: number; iterations: number }][] = [
      [bim, { epsilon: 1, iterations: 40 }],
      [pgd, { epsilon: 1, iterations: 40 }],
      [miFgsm, { epsilon: 1, iterations: 40 }],
      [pgd, { norm: 'l2', epsilon: 3, iterations: 40 }],
    ];
    for (const [attack, options] of runs) {
      const result = await runAttack(
        attack,
        { model: c.model, inputs: x, targets, seed: 3 },
        options,
      );
      const adv = (await result.adversarial.array()) as number[][];
      for (const s of result.samples) {
        const bound = options.norm === 'l2' ? s.l2 : s.linf;
        expect(bound, `${attack.name} sample ${s.index}`).toBeLessThanOrEqual(
          options.epsilon * (1 + 1e-5),
        );
        expect(Math.max(...(adv[s.index] ?? []).map(Math.abs))).toBeLessThanOrEqual(3);
        expect(s.success, `${attack.name} sample ${s.index}`).toBe(true);
        const g = linearScores(c, adv[s.index] ?? []);
        expect(g[0] !== undefined && (g[0] >= 0 ? 1 : 0)).toBe(targets[s.index]?.[0]);
      }
      result.dispose();
    }
    x.dispose();
    c.dispose();
  });

  it('PGD is reproducible for a seed and differs across seeds', async () => {
    const c = linearModel(221, 3, 6);
    const x = Rng.seeded(222).normalTensor([2, 6]);
    const start = await predictLabels(c.model, x);
    const targets: TargetVector[] = start.map((labels) => labels.map((v) => (1 - v) as 0 | 1));
    const run = async (seed: number) => {
      const r = await runAttack(
        pgd,
        { model: c.model, inputs: x, targets, seed },
        { epsilon: 0.5, iterations: 3, earlyStop: false },
      );
      const v = Array.from(await r.adversarial.data());
      r.dispose();
      return v;
    };
    expect(await run(1)).toEqual(await run(1));
    expect(await run(1)).not.toEqual(await run(2));
    x.dispose();
    c.dispose();
  });

  it('rejects bad options with an ArgumentError naming them', async () => {
    const c = linearModel(231, 2, 3);
    const x = tf.zeros([1, 3]);
    await expect(
      runAttack(bim, { model: c.model, inputs: x, targets: [[1, 0]] }, { iterations: 0 }),
    ).rejects.toThrow(ArgumentError);
    await expect(
      runAttack(bim, { model: c.model, inputs: x, targets: [[1, 0]] }, { norm: 'l3' as 'l2' }),
    ).rejects.toThrow(/norm/);
    x.dispose();
    c.dispose();
  });
});
