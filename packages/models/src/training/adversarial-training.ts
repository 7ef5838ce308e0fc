import {
  type Attack,
  defineModel,
  type MultiLabelModel,
  pgd,
  planTargets,
  runAttack,
  type TargetStrategy,
} from '@mlap/core';
import type { MultiLabelData } from '@mlap/datasets';
import { ArgumentError, type Box, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  type BatchAugmenter,
  type TrainHistory,
  type TrainOptions,
  trainModel,
} from './train-model.js';

/**
 * Targets of the adversarial examples: a target strategy applied to each sample's true labels, or
 * `'untargeted'` — every label to flip, with PGD's early stop off, so it climbs the hinge of all
 * labels inside the ε-ball for its whole budget and keeps the iterate that flips the most labels
 * (the closest one if all flip): the multi-label analogue of Madry et al.'s PGD training.
 */
export type AdversarialTarget = TargetStrategy | 'untargeted';

/** Options of {@link adversarialTraining}: those of {@link trainModel} plus the attack's. */
export interface AdversarialTrainingOptions extends Omit<TrainOptions, 'augment'> {
  /** The attack making the adversarial examples (default PGD); any attack of the contract. */
  readonly attack?: Attack;
  /** Ball radius ε of the built-in PGD (input units); default 8/255 of the box width. */
  readonly epsilon?: number;
  /** PGD steps (default 7). */
  readonly steps?: number;
  /** PGD step size (default 2.5·ε / steps). */
  readonly stepSize?: number;
  /** PGD threat model (default `'linf'`). */
  readonly norm?: 'linf' | 'l2';
  /** Extra attack options, merged over the PGD settings above (e.g. ML-CW's budget). */
  readonly attackOptions?: Readonly<Record<string, unknown>>;
  /** Share of every batch replaced by its adversarial version, in [0, 1] (default 0.5). */
  readonly mixRatio?: number;
  /** Targets of the adversarial examples (default `'untargeted'`). */
  readonly target?: AdversarialTarget;
}

/** The MultiLabelModel view of a LayersModel being trained (logits, thresholds 0.5). */
function victim(
  model: tfl.LayersModel,
  logits: (x: tf.Tensor) => tf.Tensor2D,
  numLabels: number,
  box: Box,
): MultiLabelModel {
  const inputShape = (model.inputs[0]?.shape ?? []).slice(1) as number[];
  return defineModel({ scores: logits, numLabels, inputShape, box });
}

function checkOptions(o: AdversarialTrainingOptions): void {
  const mix = o.mixRatio ?? 0.5;
  if (!(mix >= 0 && mix <= 1)) throw new ArgumentError('mixRatio', `must be in [0, 1]; got ${mix}`);
  if (o.epsilon !== undefined && !(o.epsilon > 0))
    throw new ArgumentError('epsilon', `must be > 0; got ${o.epsilon}`);
  if (o.steps !== undefined && !(Number.isInteger(o.steps) && o.steps >= 1))
    throw new ArgumentError('steps', `must be a positive integer; got ${o.steps}`);
}

/** The attack options: PGD's knobs, then the caller's overrides. */
function attackSettings(o: AdversarialTrainingOptions): Record<string, unknown> {
  const pgdKnobs = {
    iterations: o.steps ?? 7,
    ...(o.epsilon === undefined ? {} : { epsilon: o.epsilon }),
    ...(o.stepSize === undefined ? {} : { stepSize: o.stepSize }),
    ...(o.norm === undefined ? {} : { norm: o.norm }),
    ...(o.target === 'untargeted' || o.target === undefined ? { earlyStop: false } : {}),
  };
  return { ...(o.attack === undefined || o.attack === pgd ? pgdKnobs : {}), ...o.attackOptions };
}

/**
 * The batch hook: picks `mixRatio` of the batch (seeded per step), plans their targets from the
 * true labels, attacks the model as it is now and puts the adversarial rows in their place.
 */
function adversarialBatches(
  model: tfl.LayersModel,
  numLabels: number,
  o: AdversarialTrainingOptions,
): BatchAugmenter {
  const attack = o.attack ?? (pgd as Attack);
  const settings = attackSettings(o);
  const box = o.box ?? { lo: 0, hi: 1 };
  const strategy: TargetStrategy =
    o.target === undefined || o.target === 'untargeted' ? { kind: 'extreme' } : o.target;
  const seed = o.seed ?? 0;
  return async ({ x, y, step }, logits) => {
    const n = x.shape[0] ?? 0;
    const rng = Rng.derive(seed, 1_000_003 + step);
    const chosen = rng.sample(
      Array.from({ length: n }, (_, i) => i),
      Math.round((o.mixRatio ?? 0.5) * n),
    );
    const truth = (await y.array()).map((row) => row.map((v) => (v > 0.5 ? 1 : 0)));
    const net = victim(model, logits, numLabels, box);
    const plan = planTargets(
      strategy,
      chosen.map((i) => truth[i] ?? []),
      net,
      rng.int(0, 2 ** 31),
    );
    if (plan.indices.length === 0) return x.clone();
    const rows = plan.indices.map((k) => chosen[k] ?? 0);
    const inputs = tf.gather(x, rows);
    try {
      const result = await runAttack(
        attack,
        {
          model: net,
          inputs,
          targets: plan.targets,
          start: rows.map((i) => truth[i] ?? []),
          seed: rng.int(0, 2 ** 31),
        },
        settings,
      );
      // x + scatter(x' − x): the chosen rows become adversarial, the others stay clean.
      const mixed = tf.tidy(() => {
        const at = tf.tensor2d(rows, [rows.length, 1], 'int32');
        return tf.add(x, tf.scatterND(at, result.perturbation, x.shape));
      });
      result.dispose();
      return mixed;
    } finally {
      inputs.dispose();
    }
  };
}

/**
 * Multi-label adversarial training: {@link trainModel} with a share of every (shuffled) batch
 * replaced by adversarial examples that an attack of the contract — PGD by default — makes
 * against the model as it is at that step, toward targets planned from the true labels. The
 * labels stay the true ones, so the model learns to keep them inside the attack's ball. Seeded:
 * the same seed, model and data give the same weights on the same backend.
 *
 * @example
 * await adversarialTraining(model, train, { epsilon: 0.1, steps: 7, mixRatio: 0.5, epochs: 5 });
 */
export async function adversarialTraining(
  model: tfl.LayersModel,
  train: MultiLabelData,
  options: AdversarialTrainingOptions = {},
): Promise<TrainHistory> {
  checkOptions(options);
  const augment = adversarialBatches(model, train.labelNames.length, options);
  return trainModel(model, train, { ...options, augment });
}
