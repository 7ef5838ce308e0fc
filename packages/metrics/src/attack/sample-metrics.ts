import type { SampleResult } from '@mlap/core';
import { ArgumentError } from '@mlap/tensor';

/** The label-level parts of a {@link SampleResult} the attack metrics read. */
export type LabelOutcome = Pick<SampleResult, 'start' | 'target' | 'predicted'>;

/** Throws an `ArgumentError` unless start, target and predicted have the same length. */
export function checkOutcome(sample: LabelOutcome, index: number): number {
  const l = sample.start.length;
  if (sample.target.length !== l || sample.predicted.length !== l) {
    throw new ArgumentError(
      `samples[${index}]`,
      `start, target and predicted must have the same length; got ${l}, ` +
        `${sample.target.length} and ${sample.predicted.length}`,
    );
  }
  return l;
}

/**
 * Hamming distance to the target: cared-for labels (target 0 or 1) predicted differently from
 * the target. Don't-care labels never count.
 */
export function hammingToTarget(sample: LabelOutcome): number {
  let d = 0;
  sample.target.forEach((t, j) => {
    if (t !== null && sample.predicted[j] !== t) d++;
  });
  return d;
}

/** Labels whose prediction differs from the start labels. */
export function flippedLabels(sample: LabelOutcome): number[] {
  return sample.start.flatMap((s, j) => (sample.predicted[j] !== s ? [j] : []));
}

/** Labels the target asks to change: cared for and different from the start label. */
export function requestedLabels(sample: LabelOutcome): number[] {
  return sample.target.flatMap((t, j) => (t !== null && t !== sample.start[j] ? [j] : []));
}

/**
 * Collateral damage: labels whose prediction changed although the target did not ask for a
 * change — the target is don't-care (null) or equal to the start label there.
 */
export function collateralLabels(sample: LabelOutcome): number[] {
  return sample.start.flatMap((s, j) => {
    const t = sample.target[j];
    return (t === null || t === s) && sample.predicted[j] !== s ? [j] : [];
  });
}
