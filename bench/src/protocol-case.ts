/**
 * The protocol case: one data set's victim as a layer list, its first N test samples that pass
 * the §7 filter (clean prediction exactly correct, ≥ 2 predicted labels), their clean logits and
 * predictions, and one job per method × strategy with mlap's own seeded targets and the resolved
 * options. Written as JSON (format `mlap-protocol-case/1`) for bench/reference/protocol_reference.py.
 */
import { writeFileSync } from 'node:fs';
import {
  type LabelVector,
  type MultiLabelModel,
  planTargets,
  predictLabels,
  type TargetVector,
} from '@mlap/core';
import { planRankingTargets } from '@mlap/ranking';
import * as tf from '@tensorflow/tfjs-core';
import { labelledSamples, type ProtocolDataset } from './protocol-datasets.js';
import { LAYER_LAYOUT } from './protocol-layers.js';
import { netToJson } from './protocol-layers-json.js';
import { isRanking, METHODS, type Method, type ProtocolSettings } from './protocol-settings.js';
import type { Victim } from './protocol-victim.js';

/** One method × strategy on the case's samples. */
export interface ProtocolJob {
  readonly method: Method;
  /** Strategy, by its CLI name. */
  readonly strategy: string;
  /** Case rows attacked (indices into the case's samples), in order. */
  readonly rows: readonly number[];
  /** One target per entry of `rows`. */
  readonly targets: readonly TargetVector[];
  /** Case rows the strategy cannot apply to, with the reason (ranking `hide-all`: every row). */
  readonly skipped: readonly { readonly row: number; readonly reason: string }[];
  readonly options: Record<string, unknown>;
}

/** How the test split was filtered (spec §7). */
export interface Selection {
  readonly testSamples: number;
  readonly eligible: number;
  /** Why the other samples were not attacked, with counts. */
  readonly skipped: Readonly<Record<string, number>>;
}

/** Everything both engines need. */
export interface ProtocolCase {
  readonly dataset: ProtocolDataset;
  readonly settings: ProtocolSettings;
  /** The backend that computed the clean predictions and logits. */
  readonly backend: string;
  readonly selection: Selection;
  /** Number of samples N. */
  readonly count: number;
  /** Each sample's index in the test split. */
  readonly indices: readonly number[];
  /** [N, ...inputShape] in the model's box, row-major. */
  readonly inputs: Float32Array;
  /** mlap's clean logits [N, L], row-major. */
  readonly logits: Float32Array;
  /** Clean predictions (the start labels). */
  readonly start: readonly LabelVector[];
  readonly jobs: readonly ProtocolJob[];
}

/** Why a sample fails the §7 filter (as `mlap attack` words it), or undefined when it passes. */
function filterProblem(predicted: LabelVector, truth: LabelVector): string | undefined {
  if (truth.some((v, j) => v !== predicted[j]))
    return 'clean prediction differs from the ground truth';
  const present = predicted.filter((v) => v === 1).length;
  return present < 2 ? `${present} predicted label(s), fewer than 2` : undefined;
}

/** Clean predictions of every sample, a batch of 128 at a time. */
async function predictAll(model: MultiLabelModel, features: Float32Array, count: number) {
  const size = features.length / count;
  const out: LabelVector[] = [];
  for (let from = 0; from < count; from += 128) {
    const n = Math.min(128, count - from);
    const x = tf.tensor(features.subarray(from * size, (from + n) * size), [
      n,
      ...model.inputShape,
    ]);
    out.push(...(await predictLabels(model, x)));
    x.dispose();
  }
  return out;
}

/** The jobs: each method × strategy, targets planned over the case rows with the settings' seed. */
function planJobs(
  model: MultiLabelModel,
  start: readonly LabelVector[],
  settings: ProtocolSettings,
) {
  return METHODS.flatMap((method) =>
    settings.strategies.map(([strategy, spec]): ProtocolJob => {
      const plan = (isRanking(method) ? planRankingTargets : planTargets)(
        spec,
        start,
        model,
        settings.seed,
      );
      return {
        method,
        strategy,
        rows: plan.indices,
        targets: plan.targets,
        skipped: plan.skipped.map((s) => ({ row: s.index, reason: s.reason })),
        options: settings.options[method],
      };
    }),
  );
}

/**
 * Builds the case of `dataset` on the current backend: the first `count` test samples that pass
 * the §7 filter (throws when fewer do), their logits and predictions, and the jobs.
 */
export async function buildProtocolCase(
  dataset: ProtocolDataset,
  victim: Victim,
  settings: ProtocolSettings,
  count: number,
): Promise<ProtocolCase> {
  const data = await dataset.load();
  if (data.labelNames.join() !== victim.labelNames.join()) {
    throw new Error(
      `${dataset.data}: labels [${data.labelNames}] differ from the model's [${victim.labelNames}]`,
    );
  }
  const { features, truth } = labelledSamples(data, victim.box);
  const predicted = await predictAll(victim.model, features, data.count);
  const problems = predicted.map((p, i) => filterProblem(p, truth[i] ?? []));
  const eligible = problems.flatMap((p, i) => (p === undefined ? [i] : []));
  if (eligible.length === 0)
    throw new Error(`${dataset.name}: no test sample passes the §7 filter`);
  const skipped: Record<string, number> = {};
  for (const p of problems) if (p !== undefined) skipped[p] = (skipped[p] ?? 0) + 1;
  // All of them when fewer pass (scene: 18 of its 1196 test samples).
  const indices = eligible.slice(0, count);
  const n = indices.length;
  const size = features.length / data.count;
  const inputs = new Float32Array(n * size);
  indices.forEach((src, i) => {
    inputs.set(features.subarray(src * size, (src + 1) * size), i * size);
  });
  const logits = tf.tidy(() =>
    victim.model.logits(tf.tensor(inputs, [n, ...victim.model.inputShape])),
  );
  const logitValues = (await logits.data()) as Float32Array;
  logits.dispose();
  const start = indices.map((i) => predicted[i] ?? []);
  return {
    dataset,
    settings,
    backend: tf.getBackend(),
    selection: { testSamples: data.count, eligible: eligible.length, skipped },
    count: n,
    indices,
    inputs,
    logits: logitValues,
    start,
    jobs: planJobs(victim.model, start, settings),
  };
}

/** A job's id in the case and results files. */
export const jobId = (job: Pick<ProtocolJob, 'method' | 'strategy'>) =>
  `${job.method}/${job.strategy}`;

/** Writes the case for the PyTorch reference; float32 values round-trip exactly through JSON. */
export function writeProtocolCase(c: ProtocolCase, victim: Victim, file: string): void {
  const json = {
    format: 'mlap-protocol-case/1',
    layout: {
      ...LAYER_LAYOUT,
      logits: 'mlap clean logits [N, L] on `backend`, row-major',
      decision: 'label j present when sigmoid(logit_j) >= thresholds[j] (float32)',
      start: '0/1 clean predictions per sample (the ranking sets, spec 5)',
      jobs: 'rows: case samples attacked; targets: 0/1 per label, one per row; options: mlap names after defaults',
    },
    dataset: c.dataset.name,
    model: c.dataset.model,
    data: c.dataset.data,
    backend: c.backend,
    seed: c.settings.seed,
    settingsSource: c.settings.source,
    numLabels: victim.model.numLabels,
    labelNames: victim.labelNames,
    box: victim.box,
    thresholds: victim.model.thresholds,
    net: netToJson(victim.net),
    selection: c.selection,
    count: c.count,
    indices: c.indices,
    inputs: Array.from(c.inputs),
    logits: Array.from(c.logits),
    start: c.start,
    jobs: c.jobs.map((j) => ({ id: jobId(j), ...j })),
  };
  writeFileSync(file, `${JSON.stringify(json)}\n`);
}
