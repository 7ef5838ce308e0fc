import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { setupBackend } from '@mlap/backend';
import { predictLabels, runAttack } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import { backendSetup, type CommonOptions } from '../options.js';
import { loadCliInputs } from './load-inputs.js';
import { loadCliModel } from './load-model.js';
import { logitPairs } from './logit-pairs.js';
import { planRun } from './plan.js';
import { attackNamed, parseSettings } from './registry.js';
import { attackedRow, type ResultRow, type RunSummary, skippedRow, summarise } from './results.js';
import { selectSamples } from './select-samples.js';
import { parseTargetSpec } from './target-spec.js';
import { writePng } from './write-png.js';

/** Everything `mlap attack` takes. */
export interface AttackCommandOptions extends CommonOptions {
  readonly model: string;
  readonly data: string;
  readonly labels?: string;
  readonly attack: string;
  readonly target: string;
  readonly seed: number;
  readonly limit?: number;
  readonly out: string;
  readonly set: readonly string[];
  readonly anyPrediction: boolean;
  readonly minLabels: number;
  readonly batchSize: number;
}

/** Progress callbacks (a progress bar in a terminal, nothing in tests or with --json). */
export interface Progress {
  start(total: number): void;
  advance(done: number): void;
  stop(): void;
}

const silent: Progress = { start: () => {}, advance: () => {}, stop: () => {} };

/** Writes one JSON line and flushes it: a killed run loses at most the line being written. */
function appendRow(path: string, row: ResultRow): void {
  appendFileSync(path, `${JSON.stringify(row)}\n`);
}

/**
 * `mlap attack`: one model, one dataset, one attack, one target strategy. Every sample gets a JSON
 * line in `--out` (attacked or skipped, with the reason), written as soon as its batch is done;
 * adversarial images are written as PNGs beside it when the inputs are images.
 */
export async function runAttackCommand(
  o: AttackCommandOptions,
  progress: Progress = silent,
): Promise<RunSummary> {
  const started = performance.now();
  const chosen = attackNamed(o.attack);
  const spec = parseTargetSpec(o.target);
  const settings = parseSettings(o.set);
  const info = await setupBackend(backendSetup(o));
  const loaded = await loadCliModel(o.model, o.labels);
  const { model } = loaded;
  // Bad data (a usage error) must not leak the loaded model.
  const data = await loadCliInputs(o.data, model, o.labels, o.limit).catch((error: unknown) => {
    loaded.dispose();
    throw error;
  });
  try {
    const predicted = await predictLabels(model, data.inputs);
    const selection = { requireCorrect: !o.anyPrediction, minLabels: o.minLabels };
    const { problems, eligible } = selectSamples(predicted, data.truth, selection);
    const plan = planRun(spec, chosen.ranking, model, predicted, eligible, o.seed);
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, '');
    const rows: ResultRow[] = [];
    const emit = (row: ResultRow) => {
      rows.push(row);
      appendRow(o.out, row);
    };
    predicted.forEach((p, i) => {
      const reason = problems[i] ?? plan.skipped.get(i);
      if (reason !== undefined) emit(skippedRow(i, data.names[i] ?? '', p, reason));
    });
    const imageDir = data.images
      ? join(dirname(o.out), `${basename(o.out, extname(o.out))}-adversarial`)
      : undefined;
    if (imageDir !== undefined) mkdirSync(imageDir, { recursive: true });
    progress.start(plan.attack.length);
    for (let from = 0; from < plan.attack.length; from += o.batchSize) {
      const batch = plan.attack.slice(from, from + o.batchSize);
      const inputs = tf.gather(
        data.inputs,
        batch.map((b) => b.index),
      );
      try {
        const result = await runAttack(
          chosen.attack,
          {
            model,
            inputs,
            targets: batch.map((b) => b.target),
            start: batch.map((b) => predicted[b.index] ?? []),
            seed: o.seed + from,
          },
          settings,
        );
        const pairs = await logitPairs(model, inputs, result.adversarial);
        for (const s of result.samples) {
          const index = batch[s.index]?.index ?? -1;
          const extras = {
            scores: pairs[s.index],
            thresholds: model.thresholds,
            labelNames: model.labelNames,
          };
          emit(attackedRow(index, data.names[index] ?? '', s, extras));
          if (imageDir !== undefined) {
            // The clean model input is saved too, so a report compares like with like (the
            // original file differs from it by resizing and quantisation).
            const stem = join(
              imageDir,
              `${String(index).padStart(5, '0')}-${basename(data.names[index] ?? 'sample', extname(data.names[index] ?? ''))}`,
            );
            const [clean, adv] = tf.tidy(() => [
              tf.squeeze(tf.slice(inputs, s.index, 1), [0]),
              tf.squeeze(tf.slice(result.adversarial, s.index, 1), [0]),
            ]);
            await writePng(`${stem}.png`, adv as tf.Tensor, model.box);
            await writePng(`${stem}.clean.png`, clean as tf.Tensor, model.box);
            tf.dispose([clean, adv] as tf.Tensor[]);
          }
        }
        result.dispose();
      } finally {
        inputs.dispose();
      }
      progress.advance(Math.min(from + o.batchSize, plan.attack.length));
    }
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    return summarise(rows, { attack: o.attack, target: o.target, backend: info.backend, seconds });
  } finally {
    data.inputs.dispose();
    loaded.dispose();
  }
}
