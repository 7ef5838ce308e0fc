import {
  type Attack,
  type AttackResult,
  type MultiLabelModel,
  mlCw,
  mlDeepFool,
  pgd,
  predictLabels,
  runAttack,
  type TargetVector,
} from '@mlap/core';
import { rank1, rank2, tkmlTargeted, topKTarget } from '@mlap/ranking';
import type * as tf from '@tensorflow/tfjs-core';
import type { AttackName, AttackSettings } from '../protocol.js';

/** One attack as the page runs it: the attack, its options from the page's knobs, its target. */
interface PageAttack {
  readonly attack: Attack;
  readonly options: (s: AttackSettings, model: MultiLabelModel) => Record<string, unknown>;
  /** Ranking attacks read the target as "these labels on top" (k in 1..L−1). */
  readonly ranking: boolean;
}

const cwOptions = (s: AttackSettings) => ({
  maxIterations: s.maxIterations,
  binarySearchSteps: s.binarySearchSteps,
});

/** Steps inside an L∞ ball: the page states ε on the familiar 0–255 scale, attacks take box units. */
const ballOptions = (s: AttackSettings, model: MultiLabelModel) => ({
  norm: 'linf',
  iterations: s.maxIterations,
  epsilon: (s.epsilon255 / 255) * (model.box.hi - model.box.lo),
});

const pageAttacks: Readonly<Record<AttackName, PageAttack>> = {
  // ML-CW on logits: the probabilities of a real detector saturate, and on CenterNet the
  // probability-space hinge barely moves the image before early abort (measured on astronaut.png).
  'ml-cw': { attack: mlCw, options: (s) => ({ ...cwOptions(s), space: 'logit' }), ranking: false },
  'ml-deepfool': {
    attack: mlDeepFool,
    options: (s) => ({ maxIterations: s.maxIterations }),
    ranking: false,
  },
  rank1: { attack: rank1, options: cwOptions, ranking: true },
  rank2: { attack: rank2, options: cwOptions, ranking: true },
  // TkML-AP: projected steps on the top-k loss, in the same L∞ ball as PGD so ε means one thing
  // on the page (the library's default ball is L2).
  tkml: { attack: tkmlTargeted, options: ballOptions, ranking: true },
  pgd: { attack: pgd, options: ballOptions, ranking: false },
};

/** What the worker needs to run one attack. */
export interface AttackJob {
  readonly model: MultiLabelModel;
  readonly input: tf.Tensor;
  readonly start: readonly (0 | 1)[];
  readonly name: AttackName;
  readonly target: TargetVector;
  readonly settings: AttackSettings;
  readonly signal: AbortSignal;
  readonly onProgress: (iteration: number, total: number) => void;
}

/** The target an attack is given: ranking attacks get "the target's positives on top". */
function targetFor(job: AttackJob, ranking: boolean): TargetVector {
  if (!ranking) return job.target;
  const positives = job.target.flatMap((v, j) => (v === 1 ? [j] : []));
  return topKTarget(job.model.numLabels, positives);
}

/** Runs one attack through the attack contract (`runAttack`): validated, verified, measured. */
export function runPageAttack(job: AttackJob): Promise<AttackResult> {
  const page = pageAttacks[job.name];
  return runAttack(
    page.attack,
    {
      model: job.model,
      inputs: job.input,
      targets: [targetFor(job, page.ranking)],
      start: [job.start],
      seed: job.settings.seed,
      signal: job.signal,
      onProgress: (p) => job.onProgress(p.iteration, p.total),
    },
    page.options(job.settings, job.model),
  );
}

/** Whether the model decides every label of `x` as in `labels` (e.g. after 8-bit rounding). */
export async function sameLabels(
  model: MultiLabelModel,
  x: tf.Tensor,
  labels: readonly (0 | 1)[],
): Promise<boolean> {
  const [now = []] = await predictLabels(model, x);
  return now.every((v, j) => v === labels[j]);
}
