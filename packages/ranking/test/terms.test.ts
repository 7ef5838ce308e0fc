import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  rank1Loss,
  rank2Loss,
  rankingSuccess,
  topKTargetedLoss,
  topKUntargetedLoss,
  topKUntargetedSuccess,
} from '../src/index.js';

const m = (rows: number[][]) => tf.tensor2d(rows);
async function values(t: tf.Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}

describe('ranking losses on hand-computed score vectors (spec §5)', () => {
  // Sample 0: s = [3, 1, 2, −1]; A⁻ = {0}, A⁺ = {1}, B⁺ = {2}, B⁻ = {3}.
  // Sample 1 (ragged sets): s = [0, 5, −2, 4]; A⁻ = {}, A⁺ = {3}, B⁺ = {}, B⁻ = {0, 1, 2}.
  const sets = () => ({
    hidden: m([
      [1, 0, 0, 0],
      [0, 0, 0, 0],
    ]),
    added: m([
      [0, 1, 0, 0],
      [0, 0, 0, 1],
    ]),
    keptPresent: m([
      [0, 0, 1, 0],
      [0, 0, 0, 0],
    ]),
    keptAbsent: m([
      [0, 0, 0, 1],
      [1, 1, 1, 0],
    ]),
    positive: m([
      [0, 1, 1, 0],
      [0, 0, 0, 1],
    ]),
    negative: m([
      [1, 0, 0, 1],
      [1, 1, 1, 0],
    ]),
  });
  const scores = () =>
    m([
      [3, 1, 2, -1],
      [0, 5, -2, 4],
    ]);

  it('Rank I = max(0, max_N s − min_T s + κ)', async () => {
    const s = scores();
    const k = sets();
    // Sample 0: max_N = 3, min_T = 1 → 2. Sample 1: max_N = 5, min_T = 4 → 1.
    expect(await values(rank1Loss(s, k, 0))).toEqual([2, 1]);
    expect(await values(rank1Loss(s, k, 0.5))).toEqual([2.5, 1.5]);
    tf.dispose([s, ...Object.values(k)]);
  });

  it('Rank II adds the hidden and added terms; empty sets contribute 0', async () => {
    const s = scores();
    const k = sets();
    // Sample 0: hide = max_{A⁻} − min_{B⁻} = 3 − (−1) = 4; add = max_{B⁺} − min_{A⁺} = 2 − 1 = 1.
    // Sample 1: A⁻ and B⁺ are empty: both extra terms are 0.
    expect(await values(rank2Loss(s, k, 0))).toEqual([2 + 4 + 1, 1]);
    expect(await values(rank2Loss(s, k, 0, 'hideOnly'))).toEqual([2 + 4, 1]);
    tf.dispose([s, ...Object.values(k)]);
  });

  it('counts ties at the boundary as failures', async () => {
    const s = m([
      [1, 1, 0],
      [2, 1, 0],
      [1, 1, 1],
    ]);
    const pos = m([
      [1, 0, 0],
      [1, 0, 0],
      [1, 1, 0],
    ]);
    const neg = m([
      [0, 1, 1],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(await values(rankingSuccess(s, pos, neg))).toEqual([0, 1, 0]);
    tf.dispose([s, pos, neg]);
  });

  it('a single positive label works and is reached when it is on top', async () => {
    const s = m([[0.2, 0.9, 0.1]]);
    const pos = m([[0, 1, 0]]);
    const neg = m([[1, 0, 1]]);
    expect(await values(rank1Loss(s, { positive: pos, negative: neg } as never, 0))).toEqual([0]);
    expect(await values(rankingSuccess(s, pos, neg))).toEqual([1]);
    tf.dispose([s, pos, neg]);
  });
});

describe('top-k losses (spec §9)', () => {
  it('targeted: Σ_{j∈T} max(0, s_c − s_j + κ), s_c the best score outside T', async () => {
    const s = m([[3, 1, 2, -1]]);
    const t = m([[0, 1, 1, 0]]);
    // s_c = 3: (3 − 1) + (3 − 2) = 3; with κ = 1: (3 − 1 + 1) + (3 − 2 + 1) = 5.
    expect(await values(topKTargetedLoss(s, t, 0))).toEqual([3]);
    expect(await values(topKTargetedLoss(s, t, 1))).toEqual([5]);
    tf.dispose([s, t]);
  });

  it('untargeted: the mean hinge against the k best other labels, and its success', async () => {
    const s = m([
      [3, 1, 2, -1],
      [0, 1, 2, -1],
    ]);
    const y = m([
      [1, 0, 0, 0],
      [1, 0, 0, 0],
    ]);
    // Sample 0: best of Y = 3, competitors [2, 1]: (1 + 2) / 2. Sample 1: best of Y = 0 < [2, 1]: 0.
    expect(await values(topKUntargetedLoss(s, y, 2, 0))).toEqual([1.5, 0]);
    expect(await values(topKUntargetedSuccess(s, y, 2))).toEqual([0, 1]);
    // k = 3 needs a third competitor above 0 in sample 1: −1 is not.
    expect(await values(topKUntargetedSuccess(s, y, 3))).toEqual([0, 0]);
    tf.dispose([s, y]);
  });
});
