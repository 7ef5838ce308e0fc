import {
  AttackAbortedError,
  predictLabels,
  runAttack,
  TargetError,
  type TargetVector,
} from '@mlap/core';
import { ArgumentError, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  imperceptibleTarget,
  leaveTopKTarget,
  orderTarget,
  planRankingTargets,
  rank1,
  rank2,
  tkmlTargeted,
  tkmlUntargeted,
  topKTarget,
  universalTopK,
} from '../src/index.js';
import { type LinearCase, linearModel, linearScores, take } from './linear.js';

/** Independent check in float64 on the returned input: every label of `above` outranks every label of `below`. */
function ordered(c: LinearCase, x: number[], above: number[], below: number[]): boolean {
  const g = linearScores(c, x);
  const lo = Math.min(...above.map((j) => g[j] ?? Number.NaN));
  const hi = Math.max(...below.map((j) => g[j] ?? Number.NaN));
  return lo > hi;
}

const positives = (t: TargetVector) => t.flatMap((v, j) => (v === 1 ? [j] : []));
const negatives = (t: TargetVector) => t.flatMap((v, j) => (v === 0 ? [j] : []));

describe('Rank I and Rank II on a linear model', () => {
  it('reach reachable rankings, with ragged sets, verified independently of the attack', async () => {
    const c = linearModel(401, 5, 10);
    const x = Rng.seeded(402).normalTensor([3, 10]);
    const start = await predictLabels(c.model, x);
    // Ragged: a random flip, hiding one label, adding two (whatever each sample allows).
    const plan = planRankingTargets({ kind: 'extreme' }, start, c.model, 3);
    expect(plan.indices).toEqual([0, 1, 2]);
    for (const attack of [rank1, rank2]) {
      const result = await runAttack(
        attack,
        { model: c.model, inputs: x, targets: plan.targets },
        { maxIterations: 200, binarySearchSteps: 6 },
      );
      const adv = (await result.adversarial.array()) as number[][];
      result.samples.forEach((s, i) => {
        const t = plan.targets[i] ?? [];
        expect(s.success, `${attack.name} sample ${i}`).toBe(true);
        expect(
          ordered(c, adv[i] ?? [], positives(t), negatives(t)),
          `${attack.name} sample ${i}`,
        ).toBe(true);
      });
      result.dispose();
    }
    x.dispose();
    c.dispose();
  });

  it('are deterministic and honour an AbortSignal within one iteration', async () => {
    const c = linearModel(411, 4, 6);
    const x = Rng.seeded(412).normalTensor([2, 6]);
    const start = await predictLabels(c.model, x);
    const targets = planRankingTargets({ kind: 'extreme' }, start, c.model).targets;
    const opts = { maxIterations: 20, binarySearchSteps: 2 };
    const a = await runAttack(rank2, { model: c.model, inputs: x, targets }, opts);
    const b = await runAttack(rank2, { model: c.model, inputs: x, targets }, opts);
    expect(await take(b.adversarial.clone())).toEqual(await take(a.adversarial.clone()));
    const controller = new AbortController();
    const run = runAttack(
      rank1,
      {
        model: c.model,
        inputs: x,
        targets,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.iteration === 0) controller.abort();
        },
      },
      opts,
    );
    await expect(run).rejects.toThrow(AttackAbortedError);
    a.dispose();
    b.dispose();
    x.dispose();
    c.dispose();
  });

  it('refuse targets with k = 0 or no negative, and skip them when planning', async () => {
    const c = linearModel(421, 3, 4);
    const x = Rng.seeded(422).normalTensor([1, 4]);
    const start = await predictLabels(c.model, x);
    const hideAll: TargetVector[] = [[0, 0, 0]];
    await expect(
      runAttack(rank1, { model: c.model, inputs: x, targets: hideAll, start: [[1, 0, 1]] }),
    ).rejects.toThrow(TargetError);
    await expect(
      runAttack(rank1, { model: c.model, inputs: x, targets: hideAll, start: [[1, 0, 1]] }),
    ).rejects.toThrow(/k = 0/);
    const plan = planRankingTargets({ kind: 'hideAll' }, [[1, 0, 1]], c.model);
    expect(plan.indices).toEqual([]);
    expect(plan.skipped[0]?.reason).toMatch(/k = 0/);
    expect(start).toHaveLength(1);
    x.dispose();
    c.dispose();
  });
});

describe('top-k targets', () => {
  it('reject k outside 1..L−1, duplicates and overlapping sets', () => {
    expect(topKTarget(4, [2, 0])).toEqual([1, 0, 1, 0]);
    expect(() => topKTarget(4, [])).toThrow(ArgumentError);
    expect(() => topKTarget(3, [0, 1, 2])).toThrow(/k = 3 must lie in 1..2/);
    expect(() => topKTarget(3, [0, 0])).toThrow(/twice/);
    expect(() => topKTarget(3, [5])).toThrow(/outside/);
    expect(orderTarget(4, [1], [3])).toEqual([null, 1, null, 0]);
    expect(() => orderTarget(4, [1, 2], [2])).toThrow(/both above and below/);
    expect(() => leaveTopKTarget(4, [])).toThrow(ArgumentError);
  });
});

describe('TkML-AP on a linear model (spec §9)', () => {
  it('targeted: the chosen k labels become exactly the top k', async () => {
    const c = linearModel(431, 6, 12);
    const x = Rng.seeded(432).normalTensor([2, 12]);
    const targets = [topKTarget(6, [0, 4]), topKTarget(6, [1, 2, 5])];
    const result = await runAttack(
      tkmlTargeted,
      { model: c.model, inputs: x, targets },
      { epsilon: 20, iterations: 100 },
    );
    const adv = (await result.adversarial.array()) as number[][];
    result.samples.forEach((s, i) => {
      const t = targets[i] ?? [];
      expect(s.success).toBe(true);
      expect(ordered(c, adv[i] ?? [], positives(t), negatives(t))).toBe(true);
    });
    result.dispose();
    x.dispose();
    c.dispose();
  });

  it('untargeted: the true labels leave the top k', async () => {
    const c = linearModel(441, 6, 12);
    const x = Rng.seeded(442).normalTensor([2, 12]);
    const targets = [leaveTopKTarget(6, [0, 1]), leaveTopKTarget(6, [3])];
    await expect(
      runAttack(tkmlUntargeted, { model: c.model, inputs: x, targets }, { k: 6 }),
    ).rejects.toThrow(/1..5/);
    const result = await runAttack(
      tkmlUntargeted,
      { model: c.model, inputs: x, targets },
      { k: 2, epsilon: 20, iterations: 100 },
    );
    const adv = (await result.adversarial.array()) as number[][];
    result.samples.forEach((s, i) => {
      expect(s.success).toBe(true);
      const g = linearScores(c, adv[i] ?? []);
      const out = negatives(targets[i] ?? []);
      const bestOut = Math.max(...out.map((j) => g[j] ?? 0));
      expect(g.filter((v, j) => !out.includes(j) && v > bestOut).length).toBeGreaterThanOrEqual(2);
    });
    result.dispose();
    x.dispose();
    c.dispose();
  });

  it('universal: one perturbation applies to every image of the set', async () => {
    const c = linearModel(451, 5, 8, { lo: -10, hi: 10 });
    const x = Rng.seeded(452).uniformTensor([6, 8], -1, 1);
    const start = await predictLabels(c.model, x);
    // Push label 0 out of the top 1 on every image.
    const targets = start.map(() => leaveTopKTarget(5, [0]));
    const u = await universalTopK(
      { model: c.model, inputs: x, targets },
      { k: 1, epsilon: 6, foolingRate: 1 },
    );
    expect(u.perturbation.shape).toEqual([8]);
    const expected = tf.tidy(() => tf.clipByValue(tf.add(x, u.perturbation), -10, 10));
    expect(await take(u.result.adversarial.clone())).toEqual(await take(expected));
    expect(u.foolingRate).toBe(u.result.samples.filter((s) => s.success).length / 6);
    expect(u.foolingRate).toBe(1);
    u.dispose();
    x.dispose();
    c.dispose();
  });
});

describe('TKMIA measure-imperceptible targets (spec §9)', () => {
  it('swap hidden true labels for the best true labels outside the top k', () => {
    // Scores rank labels 4 > 0 > 2 > 5 > 1 > 3; truth {0, 1, 2, 3}; top 3 = {4, 0, 2}.
    const scores = [0.9, 0.3, 0.7, 0.1, 1.2, 0.5];
    const truth: (0 | 1)[] = [1, 1, 1, 1, 0, 0];
    // Hide 0: the best true label outside the top 3 is 1 (0.3 > 0.1): top 3 becomes {4, 2, 1}.
    expect(imperceptibleTarget(scores, truth, 3, [0])).toEqual([0, 1, 1, 0, 1, 0]);
    // Two true labels in the top 3 both leave, and both remaining true labels enter.
    expect(imperceptibleTarget(scores, truth, 3, [0, 2])).toEqual([0, 1, 0, 1, 1, 0]);
    expect(imperceptibleTarget(scores, truth, 3, [4])).toEqual({
      skip: 'labels 4 are not true labels in the top 3',
    });
    expect(imperceptibleTarget(scores, [1, 0, 1, 0, 0, 0], 3, [0])).toEqual({
      skip: 'only 0 true labels outside the top 3 can replace 1',
    });
    expect(() => imperceptibleTarget(scores, truth, 6, [0])).toThrow(ArgumentError);
  });

  it('are reached by the targeted top-k attack while P@k stays the same', async () => {
    const c = linearModel(461, 6, 12);
    const x = Rng.seeded(462).normalTensor([1, 12]);
    const xs = (await x.array()) as number[][];
    const g = linearScores(c, xs[0] ?? []);
    const order = g
      .map((v, j) => [v, j] as const)
      .sort((a, b) => b[0] - a[0])
      .map(([, j]) => j);
    // Truth: the 1st and 4th ranked labels; hide the 1st from the top 2.
    const truth: (0 | 1)[] = [0, 0, 0, 0, 0, 0];
    truth[order[0] ?? 0] = 1;
    truth[order[3] ?? 0] = 1;
    const target = imperceptibleTarget(g, truth, 2, [order[0] ?? 0]);
    if ('skip' in target) throw new Error(target.skip);
    const result = await runAttack(
      tkmlTargeted,
      { model: c.model, inputs: x, targets: [target] },
      { epsilon: 30, iterations: 200 },
    );
    const adv = (await result.adversarial.array()) as number[][];
    const g2 = linearScores(c, adv[0] ?? []);
    const top2 = g2
      .map((v, j) => [v, j] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 2)
      .map(([, j]) => j);
    expect(result.samples[0]?.success).toBe(true);
    expect(top2.filter((j) => truth[j] === 1)).toHaveLength(1); // P@2 unchanged: one true label
    expect(top2).not.toContain(order[0]);
    result.dispose();
    x.dispose();
    c.dispose();
  });
});
