import { setupBackend } from '@mlap/backend';
import { predictLabels, runAttack } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import { loadCliInputs } from '../attack/load-inputs.js';
import { loadCliModel } from '../attack/load-model.js';
import { type LogitPair, logitPairs } from '../attack/logit-pairs.js';
import { planRun } from '../attack/plan.js';
import { attackNamed, type CliAttack } from '../attack/registry.js';
import { attackedRow, type ResultRow, skippedRow } from '../attack/results.js';
import type { Progress } from '../attack/run-attack-command.js';
import { selectSamples } from '../attack/select-samples.js';
import { parseTargetSpec, type TargetSpec } from '../attack/target-spec.js';
import { backendSetup, type CommonOptions } from '../options.js';
import { type EvalConfig, readEvalConfig } from './config.js';
import { appendRow, type KeyedRow, openLog, rowKey } from './jsonl-log.js';
import { logHeader } from './log-header.js';
import { parseShard, type Shard } from './shard.js';

/** Everything `mlap eval` takes. */
export interface EvalOptions extends CommonOptions {
  readonly config: string;
  readonly out: string;
  readonly resume: boolean;
  readonly shard?: string;
}

/** One attack × target strategy of the config. */
interface Job {
  readonly name: string;
  readonly attackName: string;
  readonly target: string;
  readonly cli: CliAttack;
  readonly options: Record<string, unknown>;
  readonly spec: TargetSpec;
}

/** What a run did. */
export interface EvalSummary {
  /** Rows written by this run (resumed rows excluded). */
  readonly written: number;
  /** Rows already in the log when resuming. */
  readonly kept: number;
  readonly shard: Shard;
  readonly seconds: number;
  /** Per job: seconds spent in the attack itself by this run, and the samples it attacked. */
  readonly jobs: Record<string, { seconds: number; samples: number }>;
  /** The backend it ran on, and its threads (wasm only). */
  readonly backend: { readonly name: string; readonly threads?: number };
}

function jobsOf(config: EvalConfig): Job[] {
  return config.attackList.flatMap(({ name, options }) => {
    const cli = attackNamed(name);
    return config.targets.map((target) => ({
      name: `${name}/${target}`,
      attackName: name,
      target,
      cli,
      options,
      spec: parseTargetSpec(target),
    }));
  });
}

/** A row of the log: the job's names, then the sample's fields (and scores, when attacked). */
const keyed = (job: Job, row: ResultRow, scores?: LogitPair): KeyedRow => ({
  job: job.name,
  attack: job.attackName,
  strategy: job.target,
  ...row,
  ...scores,
});

/**
 * `mlap eval`: every attack × target strategy of a config on one model and dataset, appended to a
 * JSONL log row by row, after a header line with the model's label names and thresholds. Batches
 * are fixed by the config (the job's samples in order, `batchSize` at a time, seeded by their
 * position), so a resumed run redoes only unfinished batches and writes exactly the rows an
 * uninterrupted run would; with `--shard i/n` batch k runs in shard k mod n, and `mlap merge` of
 * all shards equals the unsharded log.
 */
export async function runEval(o: EvalOptions, progress: Progress): Promise<EvalSummary> {
  const started = performance.now();
  const config = readEvalConfig(o.config);
  const shard = parseShard(o.shard);
  const jobs = jobsOf(config);
  const info = await setupBackend(backendSetup(o));
  const backend = {
    name: info.backend,
    ...(info.threads && { threads: info.threads }),
    ...(info.winograd !== undefined && { winograd: info.winograd }),
  };
  const loaded = await loadCliModel(config.model, config.labels);
  const { model } = loaded;
  // Bad data (a usage error) must not leak the loaded model.
  const data = await loadCliInputs(config.data, model, config.labels, config.limit).catch(
    (error: unknown) => {
      loaded.dispose();
      throw error;
    },
  );
  try {
    const predicted = await predictLabels(model, data.inputs);
    const selection = { requireCorrect: !config.anyPrediction, minLabels: config.minLabels };
    const { problems, eligible } = selectSamples(predicted, data.truth, selection);
    const existing = openLog(o.out, o.resume, logHeader(model));
    const done = new Set(existing.map((r) => rowKey(r.job, r.index)));
    let written = 0;
    const write = (row: KeyedRow) => {
      if (done.has(rowKey(row.job, row.index))) return;
      appendRow(o.out, row);
      done.add(rowKey(row.job, row.index));
      written++;
    };
    const work = jobs.map((job) => ({
      job,
      plan: planRun(job.spec, job.cli.ranking, model, predicted, eligible, config.seed),
    }));
    const batches = work.flatMap(({ job, plan }) =>
      Array.from({ length: Math.ceil(plan.attack.length / config.batchSize) }, (_, k) => ({
        job,
        k,
        items: plan.attack.slice(k * config.batchSize, (k + 1) * config.batchSize),
      })).filter((b) => b.k % shard.count === shard.index),
    );
    // Skipped samples are written once, by shard 0, so merged shards hold each row once.
    if (shard.index === 0) {
      for (const { job, plan } of work) {
        predicted.forEach((p, i) => {
          const reason = problems[i] ?? plan.skipped.get(i);
          if (reason !== undefined)
            write(keyed(job, skippedRow(i, data.names[i] ?? '', p, reason)));
        });
      }
    }
    const todo = batches.filter((b) =>
      b.items.some((it) => !done.has(rowKey(b.job.name, it.index))),
    );
    const timing: EvalSummary['jobs'] = {};
    progress.start(todo.length);
    for (const [n, { job, k, items }] of todo.entries()) {
      const inputs = tf.gather(
        data.inputs,
        items.map((it) => it.index),
      );
      try {
        const t0 = performance.now();
        const result = await runAttack(
          job.cli.attack,
          {
            model,
            inputs,
            targets: items.map((it) => it.target),
            start: items.map((it) => predicted[it.index] ?? []),
            seed: config.seed + k,
          },
          job.options,
        );
        const spent = timing[job.name] ?? { seconds: 0, samples: 0 };
        spent.seconds += (performance.now() - t0) / 1000;
        spent.samples += items.length;
        timing[job.name] = spent;
        const pairs = await logitPairs(model, inputs, result.adversarial);
        for (const s of result.samples) {
          const index = items[s.index]?.index ?? -1;
          write(keyed(job, attackedRow(index, data.names[index] ?? '', s), pairs[s.index]));
        }
        result.dispose();
      } finally {
        inputs.dispose();
      }
      progress.advance(n + 1);
    }
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    return { written, kept: existing.length, shard, seconds, jobs: timing, backend };
  } finally {
    data.inputs.dispose();
    loaded.dispose();
  }
}
