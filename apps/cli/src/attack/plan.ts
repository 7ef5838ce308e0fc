import { type LabelVector, type MultiLabelModel, planTargets, type TargetVector } from '@mlap/core';
import { planRankingTargets } from '@mlap/ranking';
import { readTargetsFile, type TargetSpec } from './target-spec.js';

/** Which samples get which target; the others are skipped with a reason. */
export interface RunPlan {
  /** Sample indices to attack, each with its target. */
  readonly attack: readonly { readonly index: number; readonly target: TargetVector }[];
  /** Sample index → why it is not attacked. */
  readonly skipped: ReadonlyMap<number, string>;
}

/**
 * Targets for the eligible samples: from a strategy (seeded per sample; ranking attacks also skip
 * k = 0 and k = L targets) or from a targets file (samples without an entry are skipped).
 */
export function planRun(
  spec: TargetSpec,
  ranking: boolean,
  model: MultiLabelModel,
  predicted: readonly LabelVector[],
  eligible: readonly number[],
  seed: number,
): RunPlan {
  const skipped = new Map<number, string>();
  if ('file' in spec) {
    const fromFile = readTargetsFile(
      spec.file,
      predicted.length,
      model.numLabels,
      model.labelNames,
    );
    const attack = eligible.flatMap((index) => {
      const target = fromFile.get(index);
      if (target === undefined) skipped.set(index, 'no target for this sample in the targets file');
      return target === undefined ? [] : [{ index, target }];
    });
    return { attack, skipped };
  }
  const start = eligible.map((i) => predicted[i] ?? []);
  const plan = (ranking ? planRankingTargets : planTargets)(spec.strategy, start, model, seed);
  for (const s of plan.skipped) skipped.set(eligible[s.index] ?? -1, s.reason);
  const attack = plan.indices.map((k, n) => ({
    index: eligible[k] ?? -1,
    target: plan.targets[n] ?? [],
  }));
  return { attack, skipped };
}
