import type { LabelVector } from '@mlap/core';

/** The sample filter of spec §7, relaxable from the command line. */
export interface Selection {
  /** Attack only samples whose clean prediction equals the ground truth (when there is one). */
  readonly requireCorrect: boolean;
  /** Attack only samples with at least this many predicted labels. */
  readonly minLabels: number;
}

/** Why a sample is not attacked under `selection`, or undefined when it is. */
export function selectionProblem(
  predicted: LabelVector,
  truth: LabelVector | undefined,
  selection: Selection,
): string | undefined {
  if (selection.requireCorrect && truth?.some((v, j) => v !== predicted[j])) {
    return 'clean prediction differs from the ground truth';
  }
  const present = predicted.filter((v) => v === 1).length;
  if (present < selection.minLabels)
    return `${present} predicted label(s), fewer than ${selection.minLabels}`;
  return undefined;
}

/** Every sample's reason not to be attacked (undefined when it is), and the attackable indices. */
export function selectSamples(
  predicted: readonly LabelVector[],
  truth: readonly LabelVector[] | undefined,
  selection: Selection,
): { readonly problems: (string | undefined)[]; readonly eligible: number[] } {
  const problems = predicted.map((p, i) => selectionProblem(p, truth?.[i], selection));
  return { problems, eligible: problems.flatMap((p, i) => (p === undefined ? [i] : [])) };
}
