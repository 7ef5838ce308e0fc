import {
  type Attack,
  type AttackResult,
  mlCw,
  mlDeepFool,
  planTargets,
  runAttack,
  type TargetStrategy,
} from '@mlap/core';
import { planRankingTargets, rank1, rank2 } from '@mlap/ranking';
import * as tf from '@tensorflow/tfjs-core';
import { logitPairs } from '../attack/logit-pairs.js';
import { attackedRow, type ResultRow } from '../attack/results.js';
import type { DemoSetup } from './demo-data.js';

/** One cell of the demo: an attack with a target strategy on the demo images. */
export interface DemoCell {
  readonly attack: string;
  readonly strategy: string;
  readonly rows: ResultRow[];
  readonly seconds: number;
  /** The first attacked sample's clean and adversarial image, for the report. */
  readonly example?: {
    readonly index: number;
    readonly clean: tf.Tensor;
    readonly adversarial: tf.Tensor;
  };
}

/**
 * The CW-family budget of the demo: 100 Adam steps × 5 constants instead of 1000 × 10, with a 10×
 * learning rate so the short run still moves pixels that sit on the box edge (most mosaic pixels
 * are exactly 0, where the tanh box makes them slow to move), and logit margins: the default
 * model is confident, and probability margins (ML-CW's default) vanish on saturated sigmoids.
 */
export const demoCwBudget = {
  maxIterations: 100,
  binarySearchSteps: 5,
  learningRate: 0.1,
  space: 'logit',
} as const;

/** The paper's four methods, with the demo's budget for the CW-style ones. */
export const demoAttacks: readonly [Attack, boolean, Record<string, unknown>][] = [
  [mlDeepFool, false, {}],
  [mlCw, false, demoCwBudget],
  [rank1, true, demoCwBudget],
  [rank2, true, demoCwBudget],
];

/** The target strategies of spec §2 the demo runs, by their CLI names. */
export const demoStrategies: readonly [string, TargetStrategy][] = [
  ['hide-single', { kind: 'hideSingle' }],
  ['random', { kind: 'random' }],
  ['extreme', { kind: 'extreme' }],
  ['hide-all', { kind: 'hideAll' }],
];

function example(setup: DemoSetup, result: AttackResult, index: number) {
  return tf.tidy(() => ({
    index: setup.indices[index] ?? index,
    clean: tf.squeeze(tf.slice(setup.inputs, index, 1), [0]),
    adversarial: tf.squeeze(tf.slice(result.adversarial, 0, 1), [0]),
  }));
}

/** Runs one attack with one strategy on the demo images and keeps its verified rows. */
export async function runCell(
  setup: DemoSetup,
  attack: Attack,
  ranking: boolean,
  options: Record<string, unknown>,
  strategy: [string, TargetStrategy],
  seed: number,
): Promise<DemoCell> {
  const t0 = performance.now();
  const plan = (ranking ? planRankingTargets : planTargets)(
    strategy[1],
    setup.start,
    setup.model,
    seed,
  );
  if (plan.indices.length === 0)
    return { attack: attack.name, strategy: strategy[0], rows: [], seconds: 0 };
  const inputs = tf.gather(setup.inputs, [...plan.indices]);
  try {
    const start = plan.indices.map((i) => setup.start[i] ?? []);
    const result = await runAttack(
      attack,
      { model: setup.model, inputs, targets: plan.targets, start, seed },
      options,
    );
    const pairs = await logitPairs(setup.model, inputs, result.adversarial);
    const rows = result.samples.map((s) =>
      attackedRow(
        setup.indices[plan.indices[s.index] ?? 0] ?? 0,
        `test ${setup.indices[plan.indices[s.index] ?? 0]}`,
        s,
        {
          scores: pairs[s.index],
          thresholds: setup.model.thresholds,
          labelNames: setup.model.labelNames,
        },
      ),
    );
    const cell = {
      attack: attack.name,
      strategy: strategy[0],
      rows,
      seconds: (performance.now() - t0) / 1000,
      example: example(setup, result, plan.indices[0] ?? 0),
    };
    result.dispose();
    return cell;
  } finally {
    inputs.dispose();
  }
}
