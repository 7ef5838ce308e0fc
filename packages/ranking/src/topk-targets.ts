import type { TargetVector } from '@mlap/core';
import { ArgumentError } from '@mlap/tensor';

function checkLabels(labels: readonly number[], numLabels: number, argument: string): void {
  const seen = new Set<number>();
  for (const j of labels) {
    if (!Number.isInteger(j) || j < 0 || j >= numLabels) {
      throw new ArgumentError(argument, `label ${j} is outside 0..${numLabels - 1}`);
    }
    if (seen.has(j)) throw new ArgumentError(argument, `label ${j} is listed twice`);
    seen.add(j);
  }
}

/**
 * The target "these k labels must be exactly the top k": 1 for the positives, 0 for every other
 * label. k must lie in 1..L−1 (k = 0 or L is met by any input).
 */
export function topKTarget(numLabels: number, positives: readonly number[]): TargetVector {
  checkLabels(positives, numLabels, 'positives');
  if (positives.length < 1 || positives.length > numLabels - 1) {
    throw new ArgumentError('positives', `k = ${positives.length} must lie in 1..${numLabels - 1}`);
  }
  const target: (0 | 1)[] = new Array<0 | 1>(numLabels).fill(0);
  for (const j of positives) target[j] = 1;
  return target;
}

/**
 * A ranking target over some labels only: every label of `above` must outrank every label of
 * `below`; the others are free (don't care). The sets must be disjoint and non-empty.
 */
export function orderTarget(
  numLabels: number,
  above: readonly number[],
  below: readonly number[],
): TargetVector {
  checkLabels(above, numLabels, 'above');
  checkLabels(below, numLabels, 'below');
  const overlap = above.filter((j) => below.includes(j));
  if (overlap.length > 0)
    throw new ArgumentError('below', `labels ${overlap.join(', ')} are both above and below`);
  if (above.length === 0 || below.length === 0)
    throw new ArgumentError('above', 'both sets need at least one label');
  const target: (0 | 1 | null)[] = new Array<0 | 1 | null>(numLabels).fill(null);
  for (const j of above) target[j] = 1;
  for (const j of below) target[j] = 0;
  return target;
}

/**
 * The untargeted top-k goal "none of these labels may stay in the top k": 0 for the given labels
 * (usually the true ones), don't care elsewhere. Used with {@link tkmlUntargeted} and its `k`.
 */
export function leaveTopKTarget(numLabels: number, labels: readonly number[]): TargetVector {
  checkLabels(labels, numLabels, 'labels');
  if (labels.length === 0)
    throw new ArgumentError('labels', 'needs at least one label to push out of the top k');
  const target: (0 | 1 | null)[] = new Array<0 | 1 | null>(numLabels).fill(null);
  for (const j of labels) target[j] = 0;
  return target;
}
