import { type AttackContext, type LabelVector, TargetError, type TargetVector } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The label sets of spec §5 for one sample, from its start labels y and target y* (cared-for
 * labels only): hidden A⁻ (1 → 0), added A⁺ (0 → 1), kept present B⁺, kept absent B⁻.
 * T = A⁺ ∪ B⁺ must rank above N = A⁻ ∪ B⁻; k = |T|.
 */
export interface RankingSets {
  /** A⁻: present at the start, absent in the target (1 → 0). */
  readonly hidden: readonly number[];
  /** A⁺: absent at the start, present in the target (0 → 1). */
  readonly added: readonly number[];
  /** B⁺: present at the start and in the target. */
  readonly keptPresent: readonly number[];
  /** B⁻: absent at the start and in the target. */
  readonly keptAbsent: readonly number[];
}

/** Splits a sample's cared-for labels into the four sets of spec §5. */
export function rankingSets(start: LabelVector, target: TargetVector): RankingSets {
  const sets = {
    hidden: [] as number[],
    added: [] as number[],
    keptPresent: [] as number[],
    keptAbsent: [] as number[],
  };
  target.forEach((t, j) => {
    if (t === null) return;
    const y = start[j] ?? 0;
    if (y === 1 && t === 0) sets.hidden.push(j);
    else if (y === 0 && t === 1) sets.added.push(j);
    else if (t === 1) sets.keptPresent.push(j);
    else sets.keptAbsent.push(j);
  });
  return sets;
}

/**
 * Why a ranking target cannot be attacked, or undefined when it can: with k = 0 or no label
 * left to rank below T, r = 0 already meets it (spec §5), so such samples are skipped.
 */
export function rankingProblem(sets: RankingSets): string | undefined {
  const k = sets.added.length + sets.keptPresent.length;
  const negatives = sets.hidden.length + sets.keptAbsent.length;
  if (k === 0) return 'the target has no positive label (k = 0): r = 0 meets it';
  if (negatives === 0) return 'the target has no negative label (k = L): r = 0 meets it';
  return undefined;
}

/** The sets as 0/1 masks [N, L], plus the ideal order vector y_tor = 2A⁺ + B⁺ − B⁻ − 2A⁻. */
export interface RankingMasks {
  /** T = A⁺ ∪ B⁺: the labels that must rank on top. */
  readonly positive: tf.Tensor2D;
  /** N = A⁻ ∪ B⁻: the labels that must rank below T. */
  readonly negative: tf.Tensor2D;
  /** A⁻: present at the start, absent in the target (1 → 0). */
  readonly hidden: tf.Tensor2D;
  /** A⁺: absent at the start, present in the target (0 → 1). */
  readonly added: tf.Tensor2D;
  /** B⁺: present at the start and in the target. */
  readonly keptPresent: tf.Tensor2D;
  /** B⁻: absent at the start and in the target. */
  readonly keptAbsent: tf.Tensor2D;
  /** The ideal order vector y_tor = 2A⁺ + B⁺ − B⁻ − 2A⁻. */
  readonly ideal: tf.Tensor2D;
  /** Frees every mask. */
  dispose(): void;
}

function mask(rows: readonly (readonly number[])[], labels: number): tf.Tensor2D {
  const values = new Float32Array(rows.length * labels);
  rows.forEach((row, i) => {
    for (const j of row) values[i * labels + j] = 1;
  });
  return tf.tensor2d(values, [rows.length, labels]);
}

/**
 * Builds the masks of a batch, refusing (with a TargetError naming the sample) targets that a
 * ranking attack cannot work on. Ragged set sizes across the batch are fine.
 */
export function rankingMasks(context: AttackContext): RankingMasks {
  const L = context.model.numLabels;
  const sets = context.targets.map((target, i) => {
    const s = rankingSets(context.start[i] ?? [], target);
    const problem = rankingProblem(s);
    if (problem !== undefined) throw new TargetError(i, problem);
    return s;
  });
  const pick = (f: (s: RankingSets) => readonly number[]) => mask(sets.map(f), L);
  const m = {
    positive: pick((s) => [...s.added, ...s.keptPresent]),
    negative: pick((s) => [...s.hidden, ...s.keptAbsent]),
    hidden: pick((s) => s.hidden),
    added: pick((s) => s.added),
    keptPresent: pick((s) => s.keptPresent),
    keptAbsent: pick((s) => s.keptAbsent),
  };
  const ideal = tf.tidy(() =>
    tf.sub(tf.add(tf.mul(m.added, 2), m.keptPresent), tf.add(m.keptAbsent, tf.mul(m.hidden, 2))),
  ) as tf.Tensor2D;
  return { ...m, ideal, dispose: () => tf.dispose([...Object.values(m), ideal]) };
}
