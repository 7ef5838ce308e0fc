import type { LabelVector, TargetVector } from '@mlap/core';
import { ArgumentError } from '@mlap/tensor';
import { topKTarget } from './topk-targets.js';

/**
 * The target of TKMIA's measure-imperceptible attack (Sun et al., ACM MM 2023; spec §9) for one
 * sample: the labels in `hide` (true labels now in the top k) leave the top k, and as many other
 * true labels, the best-scored ones outside the top k, enter it — so the number of true labels in
 * the top k, hence precision@k, does not change. Attack it with `tkmlTargeted`.
 *
 * @param scores - the sample's current scores (any monotone scale)
 * @param truth - its true labels
 * @param k - the top-k size, 1..L−1
 * @param hide - true labels now in the top k that must leave it
 * @returns the target, or the reason it cannot be built
 */
export function imperceptibleTarget(
  scores: readonly number[],
  truth: LabelVector,
  k: number,
  hide: readonly number[],
):
  | TargetVector
  | {
      /** Why no target can be built for this sample. */
      readonly skip: string;
    } {
  const L = scores.length;
  if (!Number.isInteger(k) || k < 1 || k > L - 1)
    throw new ArgumentError('k', `must lie in 1..${L - 1}; got ${k}`);
  const order = scores.map((s, j) => [s, j] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const top = order.slice(0, k).map(([, j]) => j);
  const bad = hide.filter((j) => !top.includes(j) || truth[j] !== 1);
  if (bad.length > 0)
    return { skip: `labels ${bad.join(', ')} are not true labels in the top ${k}` };
  const entering = order
    .slice(k)
    .map(([, j]) => j)
    .filter((j) => truth[j] === 1)
    .slice(0, hide.length);
  if (entering.length < hide.length) {
    return {
      skip: `only ${entering.length} true labels outside the top ${k} can replace ${hide.length}`,
    };
  }
  return topKTarget(L, [...top.filter((j) => !hide.includes(j)), ...entering]);
}
