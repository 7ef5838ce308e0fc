/**
 * `pnpm --filter @mlap/bench reference:protocol`: the paper's protocol run by mlap and by the
 * PyTorch reference on the same weights and inputs. Per data set (default, yeast, scene): the
 * victim is exported as a layer list, the first N test samples passing the §7 filter are kept, and
 * every method × strategy job (mlap's own seeded targets, the experiments' options) runs on mlap
 * wasm (all N), on mlap cpu (the case's first samples only: ~30× slower) and in
 * bench/reference/protocol_reference.py (all N, and again on the cpu samples for a like-for-like
 * time ratio). Prints a table per data set with every flagged difference and its samples, and writes
 * experiments/results/reference/<dataset>.json (format in bench/reference/README.md).
 *
 * Environment: PROTOCOL_DATASETS=default,yeast,scene;
 * PROTOCOL_INPUTS (N per data set; default 16 for the default CNN, 32 for the MLPs);
 * PROTOCOL_CPU_INPUTS (cpu samples; default 2 on the default CNN, 8 on the MLPs);
 * PROTOCOL_CPU_METHODS (default: ML-DeepFool only on the default CNN, every method on the MLPs);
 * PROTOCOL_BACKENDS=wasm,cpu; BENCH_WINOGRAD=0 keeps XNNPACK's 3×3 convolutions on wasm.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type ConcreteBackend, setupBackend } from '@mlap/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { AttackRun } from './attack-reference.js';
import { buildProtocolCase, jobId, type ProtocolCase, writeProtocolCase } from './protocol-case.js';
import { compareRuns, type EngineResult, engineResult } from './protocol-compare.js';
import { PROTOCOL_DATASETS, type ProtocolDataset, repoPath } from './protocol-datasets.js';
import { type ReferenceOutput, runReference } from './protocol-python.js';
import { firstRows, runJob, warmUp } from './protocol-run.js';
import { METHODS, protocolSettings } from './protocol-settings.js';
import { flagLines, type JobResult, protocolTable } from './protocol-table.js';
import { loadVictim } from './protocol-victim.js';

const datasets = (process.env.PROTOCOL_DATASETS ?? 'default,yeast,scene').split(',');
const winograd = process.env.BENCH_WINOGRAD !== '0';
const backends = (process.env.PROTOCOL_BACKENDS ?? 'wasm,cpu').split(',') as ConcreteBackend[];
/** N per data set: the default CNN's CW-style jobs take ≈ 1 min each on wasm at N = 32. */
const countFor = (dataset: string) =>
  Number(process.env.PROTOCOL_INPUTS ?? (dataset === 'default' ? 16 : 32));
/** cpu samples per data set: ML-CW on 4 default-CNN samples took 145 s there. */
const cpuCount = (dataset: string) =>
  Math.min(
    countFor(dataset),
    Number(process.env.PROTOCOL_CPU_INPUTS ?? (dataset === 'default' ? 2 : 8)),
  );
/** Methods run on cpu: on the default CNN only ML-DeepFool (the CW-style ones take minutes). */
const cpuMethods = (dataset: string): readonly string[] =>
  (
    process.env.PROTOCOL_CPU_METHODS ?? (dataset === 'default' ? 'mlDeepFool' : METHODS.join(','))
  ).split(',');

/** Every job of the case on one backend (victim loaded on it), in case order; fails on a leak. */
async function mlapRuns(
  c: ProtocolCase,
  backend: ConcreteBackend,
  samples: number,
  methods: readonly string[],
): Promise<Map<string, AttackRun>> {
  await setupBackend({ backend, quiet: true, winograd });
  const victim = await loadVictim(repoPath(c.dataset.model), c.dataset.model);
  const before = tf.memory().numTensors;
  const runs = new Map<string, AttackRun>();
  try {
    await warmUp(c, victim);
    for (const job of c.jobs.map((j) => firstRows(j, samples))) {
      if (job.rows.length === 0 || !methods.includes(job.method)) continue;
      const run = await runJob(c, victim, job);
      runs.set(jobId(job), run);
      process.stderr.write(`  mlap ${backend} ${jobId(job)}: ${(run.ms / 1000).toFixed(1)} s\n`);
    }
    const leaked = tf.memory().numTensors - before;
    if (leaked !== 0) throw new Error(`${backend}: ${leaked} tensors leaked during the attacks`);
  } finally {
    victim.dispose();
  }
  return runs;
}

/** The reference's run of one job as an AttackRun (undefined when it did not run it). */
function referenceRun(out: ReferenceOutput | undefined, id: string): AttackRun | undefined {
  return out?.jobs[id];
}

/** One job's results from every engine, with the comparisons on the same samples. */
function jobResult(
  c: ProtocolCase,
  index: number,
  runs: {
    wasm?: Map<string, AttackRun>;
    cpu?: Map<string, AttackRun>;
    reference: ReferenceOutput;
    referenceCpu?: ReferenceOutput;
  },
  cpuSamples: number,
): JobResult {
  const job = c.jobs[index];
  if (job === undefined) throw new Error(`no job ${index}`);
  const id = jobId(job);
  if (job.rows.length === 0) {
    const reason = job.skipped[0]?.reason ?? 'no sample';
    return {
      method: job.method,
      strategy: job.strategy,
      attacked: 0,
      inapplicable: reason,
      comparisons: [],
    };
  }
  const names = (rows: readonly number[]) => rows.map((r) => c.indices[r] ?? -1);
  const result = (run: AttackRun | undefined, rows: readonly number[]) =>
    run === undefined ? undefined : engineResult(run, names(rows));
  const cpuRows = firstRows(job, cpuSamples).rows;
  const engines = {
    mlapWasm: result(runs.wasm?.get(id), job.rows),
    mlapCpu: result(runs.cpu?.get(id), cpuRows),
    reference: result(referenceRun(runs.reference, id), job.rows),
    referenceCpuSubset: result(referenceRun(runs.referenceCpu, id), cpuRows),
  };
  const pairs: [EngineResult | undefined, EngineResult | undefined, 'mlapWasm' | 'mlapCpu'][] = [
    [engines.mlapWasm, engines.reference, 'mlapWasm'],
    [engines.mlapCpu, engines.referenceCpuSubset, 'mlapCpu'],
  ];
  const comparisons = pairs.flatMap(([m, r, engine]) =>
    m === undefined || r === undefined
      ? []
      : [compareRuns(engine, engine === 'mlapWasm' ? 'reference' : 'referenceCpuSubset', m, r)],
  );
  return {
    method: job.method,
    strategy: job.strategy,
    attacked: job.rows.length,
    ...engines,
    comparisons,
  };
}

/** NaN and ±∞ (a median over no success) as null in the results file. */
const finiteOrNull = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isFinite(value) ? null : value;

async function runDataset(dataset: ProtocolDataset): Promise<void> {
  const started = performance.now();
  await setupBackend({ backend: 'wasm', quiet: true, winograd });
  const victim = await loadVictim(repoPath(dataset.model), dataset.model);
  const settings = protocolSettings(dataset.configModel);
  let c: ProtocolCase;
  const caseFile = repoPath(`bench/results/protocol-${dataset.name}-case.json`);
  try {
    c = await buildProtocolCase(dataset, victim, settings, countFor(dataset.name));
    mkdirSync(repoPath('bench/results'), { recursive: true });
    writeProtocolCase(c, victim, caseFile);
  } finally {
    victim.dispose();
  }
  const cpuSamples = cpuCount(dataset.name);
  const onCpu = cpuMethods(dataset.name);
  process.stderr.write(
    `${dataset.name}: ${c.count} of ${c.selection.eligible} eligible test samples (cpu: first ${cpuSamples}, ${onCpu.join(', ')}); options from ${settings.source}\n`,
  );
  const reference = await runReference(caseFile, c.count);
  const useCpu = backends.includes('cpu');
  const cpuJobs = c.jobs.filter((j) => onCpu.includes(j.method)).map(jobId);
  const referenceCpu = useCpu ? await runReference(caseFile, cpuSamples, cpuJobs) : undefined;
  const wasm = backends.includes('wasm') ? await mlapRuns(c, 'wasm', c.count, METHODS) : undefined;
  const cpu = useCpu ? await mlapRuns(c, 'cpu', cpuSamples, onCpu) : undefined;
  const runs = {
    reference,
    ...(wasm && { wasm }),
    ...(cpu && { cpu }),
    ...(referenceCpu && { referenceCpu }),
  };
  const jobs = c.jobs.map((_, i) => jobResult(c, i, runs, cpuSamples));
  console.log(protocolTable(dataset.name, jobs));
  for (const line of flagLines(dataset.name, jobs)) console.log(line);
  const record = {
    format: 'mlap-protocol-reference/1',
    date: new Date().toISOString(),
    dataset: dataset.name,
    model: dataset.model,
    data: dataset.data,
    selection: {
      ...c.selection,
      attacked: c.count,
      cpuAttacked: useCpu ? cpuSamples : 0,
      cpuMethods: useCpu ? onCpu : [],
    },
    seed: settings.seed,
    settingsSource: settings.source,
    options: settings.options,
    engines: {
      mlapWasm: wasm === undefined ? undefined : `mlap (tfjs ${tf.version_core}) wasm`,
      mlapCpu: cpu === undefined ? undefined : `mlap (tfjs ${tf.version_core}) cpu`,
      reference: `${reference.engine} (${reference.threads} threads)`,
    },
    logitsMaxAbsDiff: reference.logitsMaxAbsDiff,
    tolerances: { successPoints: 3, medianL2Relative: 0.1 },
    seconds: (performance.now() - started) / 1000,
    jobs,
  };
  const out = repoPath('experiments/results/reference');
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}/${dataset.name}.json`, `${JSON.stringify(record, finiteOrNull, 2)}\n`);
  process.stderr.write(
    `${dataset.name}: ${record.seconds.toFixed(0)} s → experiments/results/reference/${dataset.name}.json\n`,
  );
}

async function main(): Promise<void> {
  for (const name of datasets) {
    const dataset = PROTOCOL_DATASETS[name];
    if (dataset === undefined)
      throw new Error(`PROTOCOL_DATASETS: unknown data set "${name}" (default, yeast, scene)`);
    await runDataset(dataset);
  }
}

// Report failures in one line: the wasm runtime's exception hook would print its whole source.
await main().catch((error: unknown) => {
  console.error(
    `reference:protocol failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
