import {
  type LabelVector,
  type MultiLabelModel,
  planTargets,
  type TargetPlan,
  type TargetStrategy,
} from '@mlap/core';
import { rankingProblem, rankingSets } from './ranking-sets.js';

/**
 * The classification strategies of spec §2 as ranking targets: builds them with `planTargets`, then
 * moves to `skipped` the samples a ranking attack cannot work on (k = 0, e.g. every `hideAll`
 * target, or no negative label), each with its reason (spec §5).
 */
export function planRankingTargets(
  strategy: TargetStrategy,
  start: readonly LabelVector[],
  model: Pick<MultiLabelModel, 'labelNames' | 'numLabels'>,
  seed = 0,
): TargetPlan {
  const plan = planTargets(strategy, start, model, seed);
  const indices: number[] = [];
  const targets: TargetPlan['targets'][number][] = [];
  const skipped = [...plan.skipped];
  plan.indices.forEach((index, k) => {
    const target = plan.targets[k] ?? [];
    const problem = rankingProblem(rankingSets(start[index] ?? [], target));
    if (problem === undefined) {
      indices.push(index);
      targets.push(target);
    } else skipped.push({ index, reason: problem });
  });
  skipped.sort((a, b) => a.index - b.index);
  return { indices, targets, skipped };
}
