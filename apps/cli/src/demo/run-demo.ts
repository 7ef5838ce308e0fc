import {
  type Attack,
  type AttackResult,
  mlCw,
  mlDeepFool,
  pgd,
  planTargets,
  predictLabels,
  runAttack,
  type TargetPlan,
} from '@mlap/core';
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type { ToyModel } from './toy-model.js';

/** One row of the demo table: an attack's verified outcome on the demo batch. */
export interface DemoRow {
  readonly attack: string;
  readonly attacked: number;
  readonly successRate: number;
  /** Median ‖r‖₂ over successful samples (NaN when none succeeded). */
  readonly medianL2: number;
  readonly meanIterations: number;
  readonly seconds: number;
}

/** The demo's attacks, with settings that keep it to seconds on the wasm backend. */
const attacks: [Attack, Record<string, unknown>][] = [
  [mlDeepFool, {}],
  [mlCw, { maxIterations: 100, binarySearchSteps: 5 }],
  [pgd, { epsilon: 0.1, iterations: 20 }],
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function row(result: AttackResult, seconds: number): DemoRow {
  const wins = result.samples.filter((s) => s.success);
  const n = Math.max(1, result.samples.length);
  return {
    attack: result.attack,
    attacked: result.samples.length,
    successRate: result.successRate,
    medianL2: median(wins.map((s) => s.l2)),
    meanIterations: result.samples.reduce((a, s) => a + s.iterations, 0) / n,
    seconds,
  };
}

/**
 * Runs ML-DeepFool, ML-CW and PGD on seeded images of the toy model, each hiding one present
 * label per image (the `hideSingle` strategy). Returns one verified row per attack and the plan.
 */
export async function runDemo(
  model: ToyModel,
  images: number,
  seed: number,
): Promise<{ rows: DemoRow[]; plan: TargetPlan }> {
  const inputs = Rng.seeded(seed).uniformTensor([images, ...model.inputShape]);
  try {
    const start = await predictLabels(model, inputs);
    const plan = planTargets({ kind: 'hideSingle' }, start, model, seed);
    if (plan.indices.length === 0) return { rows: [], plan };
    const batch = tf.gather(inputs, plan.indices);
    const rows: DemoRow[] = [];
    try {
      for (const [attack, options] of attacks) {
        const t0 = performance.now();
        const result = await runAttack(
          attack,
          { model, inputs: batch, targets: plan.targets, seed },
          options,
        );
        rows.push(row(result, (performance.now() - t0) / 1000));
        result.dispose();
      }
    } finally {
      batch.dispose();
    }
    return { rows, plan };
  } finally {
    inputs.dispose();
  }
}
