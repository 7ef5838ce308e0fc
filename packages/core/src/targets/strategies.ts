import { ArgumentError, Rng } from '@mlap/tensor';
import type { MultiLabelModel } from '../model/multi-label-model.js';
import { resolveLabel } from './labels.js';
import type { LabelVector, TargetVector } from './target.js';

/**
 * How to build a target from a sample's start labels (spec §2). Every strategy is seeded per
 * sample and reports the samples it cannot apply to; none ever returns the start labels.
 */
export type TargetStrategy =
  | {
      /** Flip `flips` random present labels off and as many random absent labels on. */
      readonly kind: 'random';
      /** How many present and how many absent labels to flip (default 1). */
      readonly flips?: number;
    }
  | {
      /** Flip every label: the opposite of the start labels. */
      readonly kind: 'extreme';
    }
  | {
      /** Hide one random present label, keep the others. */
      readonly kind: 'hideSingle';
    }
  | {
      /** Hide every present label. */
      readonly kind: 'hideAll';
    }
  | {
      /** Make one given label present, keep the others. */
      readonly kind: 'add';
      /** The label, by name or index. */
      readonly label: string | number;
    }
  | {
      /** Make one given label absent, keep the others. */
      readonly kind: 'remove';
      /** The label, by name or index. */
      readonly label: string | number;
    }
  | {
      /** Make `k` random absent labels present, keep the others. */
      readonly kind: 'showMany';
      /** How many absent labels to show. */
      readonly k: number;
    }
  | {
      /** A target given in full: 1 present, 0 absent, null don't care, per label. */
      readonly kind: 'custom';
      /** The target vector, one entry per label. */
      readonly target: TargetVector;
    };

/** A sample a strategy could not build a target for, and why. */
export interface SkippedSample {
  /** The sample's index in the batch. */
  readonly index: number;
  /** Why no target could be built, e.g. `no present label to hide`. */
  readonly reason: string;
}

/** Targets for the samples a strategy applies to; the rest are listed in `skipped`. */
export interface TargetPlan {
  /** Indices (into the start batch) of the samples with a target. */
  readonly indices: readonly number[];
  /** One target per entry of `indices`. */
  readonly targets: readonly TargetVector[];
  /** Samples without a target, with the reason. */
  readonly skipped: readonly SkippedSample[];
}

type Outcome = TargetVector | { readonly skip: string };

const indicesWhere = (labels: LabelVector, value: 0 | 1) =>
  labels.flatMap((v, j) => (v === value ? [j] : []));

function flip(labels: LabelVector, positions: readonly number[]): TargetVector {
  const out: (0 | 1)[] = [...labels];
  for (const j of positions) out[j] = out[j] === 1 ? 0 : 1;
  return out;
}

function randomFlips(labels: LabelVector, rng: Rng, flips: number): Outcome {
  const present = indicesWhere(labels, 1);
  const absent = indicesWhere(labels, 0);
  if (present.length < flips || absent.length < flips) {
    return {
      skip: `random needs ${flips} present and ${flips} absent labels (has ${present.length} and ${absent.length})`,
    };
  }
  return flip(labels, [...rng.sample(present, flips), ...rng.sample(absent, flips)]);
}

function custom(labels: LabelVector, target: TargetVector): Outcome {
  if (target.length !== labels.length)
    return { skip: `custom target has ${target.length} labels, not ${labels.length}` };
  const differs = target.some((v, j) => v !== null && v !== labels[j]);
  return differs
    ? target
    : { skip: 'the custom target equals the start labels on every cared-for label' };
}

function checkCount(name: string, value: number | undefined): number {
  const n = value ?? 1;
  if (!Number.isInteger(n) || n < 1)
    throw new ArgumentError(name, `must be an integer ≥ 1; got ${value}`);
  return n;
}

/** Builds a strategy's outcome for one sample. */
function outcome(
  strategy: TargetStrategy,
  labels: LabelVector,
  rng: Rng,
  model: Pick<MultiLabelModel, 'labelNames' | 'numLabels'>,
): Outcome {
  const present = indicesWhere(labels, 1);
  switch (strategy.kind) {
    case 'random':
      return randomFlips(labels, rng, checkCount('flips', strategy.flips));
    case 'extreme':
      return flip(
        labels,
        labels.map((_, j) => j),
      );
    case 'hideSingle':
      return present.length === 0
        ? { skip: 'no present label to hide' }
        : flip(labels, [rng.choice(present)]);
    case 'hideAll':
      return present.length === 0 ? { skip: 'no present label to hide' } : flip(labels, present);
    case 'add': {
      const j = resolveLabel(model, strategy.label);
      return labels[j] === 1
        ? { skip: `label ${strategy.label} is already present` }
        : flip(labels, [j]);
    }
    case 'remove': {
      const j = resolveLabel(model, strategy.label);
      return labels[j] === 0
        ? { skip: `label ${strategy.label} is already absent` }
        : flip(labels, [j]);
    }
    case 'showMany': {
      const k = checkCount('k', strategy.k);
      const absent = indicesWhere(labels, 0);
      return absent.length < k
        ? { skip: `showMany needs ${k} absent labels (has ${absent.length})` }
        : flip(labels, rng.sample(absent, k));
    }
    case 'custom':
      return custom(labels, strategy.target);
  }
}

/**
 * Builds targets for a batch of start label sets (usually the model's clean predictions). Sample
 * i draws from `Rng.derive(seed, i)`, so its target does not depend on the rest of the batch.
 *
 * @example
 * const plan = planTargets({ kind: 'hideSingle' }, start, model, 7);
 * // plan.targets[k] is the target of sample plan.indices[k]; plan.skipped says who was left out
 */
export function planTargets(
  strategy: TargetStrategy,
  start: readonly LabelVector[],
  model: Pick<MultiLabelModel, 'labelNames' | 'numLabels'>,
  seed = 0,
): TargetPlan {
  const indices: number[] = [];
  const targets: TargetVector[] = [];
  const skipped: SkippedSample[] = [];
  start.forEach((labels, index) => {
    const result = outcome(strategy, labels, Rng.derive(seed, index), model);
    if ('skip' in result) skipped.push({ index, reason: result.skip });
    else {
      indices.push(index);
      targets.push(result);
    }
  });
  return { indices, targets, skipped };
}
