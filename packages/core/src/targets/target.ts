import * as tf from '@tensorflow/tfjs-core';
import { TargetError } from '../errors/target-error.js';

/** One entry of a target: 1 = must be present, 0 = must be absent, null = don't care. */
export type TargetValue = 0 | 1 | null;

/** A target label vector for one sample (length L). */
export type TargetVector = readonly TargetValue[];

/** A label set as the model predicts it: 0/1 per label. */
export type LabelVector = readonly (0 | 1)[];

/**
 * Checks a batch of targets: one per sample, L entries each, every entry 0, 1 or null, and at
 * least one cared-for label. Throws a {@link TargetError} naming the sample and label.
 */
export function validateTargets(
  targets: readonly TargetVector[],
  samples: number,
  labels: number,
): void {
  if (targets.length !== samples) {
    throw new TargetError(
      Math.min(targets.length, samples),
      `expected ${samples} targets (one per sample); got ${targets.length}`,
    );
  }
  targets.forEach((target, i) => {
    if (!Array.isArray(target) || target.length !== labels) {
      throw new TargetError(
        i,
        `expected ${labels} entries; got ${Array.isArray(target) ? target.length : typeof target}`,
      );
    }
    target.forEach((v, j) => {
      if (v !== 0 && v !== 1 && v !== null) {
        throw new TargetError(i, `must be 0, 1 or null (don't care); got ${JSON.stringify(v)}`, j);
      }
    });
    if (target.every((v) => v === null)) throw new TargetError(i, 'cares for no label');
  });
}

/** Targets as tensors: sign y* ∈ {−1, +1} (0 where not cared for) and the care mask, both [N, L]. */
export interface TargetTensors {
  /** y*_j ∈ {−1, +1} on cared-for labels, 0 elsewhere. */
  readonly sign: tf.Tensor2D;
  /** 1 on cared-for labels, 0 elsewhere. */
  readonly care: tf.Tensor2D;
  /** The 0/1 target (0 where not cared for). */
  readonly present: tf.Tensor2D;
}

/** Builds {@link TargetTensors} from validated targets. */
export function targetTensors(targets: readonly TargetVector[]): TargetTensors {
  const n = targets.length;
  const l = targets[0]?.length ?? 0;
  const sign = targets.flatMap((t) => t.map((v) => (v === null ? 0 : 2 * v - 1)));
  const care = targets.flatMap((t) => t.map((v) => (v === null ? 0 : 1)));
  const present = targets.flatMap((t) => t.map((v) => (v === 1 ? 1 : 0)));
  return {
    sign: tf.tensor2d(sign, [n, l]),
    care: tf.tensor2d(care, [n, l]),
    present: tf.tensor2d(present, [n, l]),
  };
}

/** Cared-for labels of `target` whose value differs from `labels` (e.g. the labels still wrong). */
export function mismatches(target: TargetVector, labels: LabelVector): number[] {
  const out: number[] = [];
  target.forEach((v, j) => {
    if (v !== null && v !== labels[j]) out.push(j);
  });
  return out;
}
