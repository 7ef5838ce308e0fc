/**
 * `pnpm bench` (attacks): ML-CW and ML-DeepFool from @mlap/core on a small seeded CNN, on the
 * tfjs wasm and cpu backends, next to the PyTorch reference (bench/reference/ml_attacks.py) run
 * on the same weights, inputs, targets and settings, exported to bench/results/attack-case.json.
 * Prints wall time, success rate, median L2 and mean iterations with ratios to PyTorch; results
 * also go to bench/results/attacks.json.
 *
 * Environment: BENCH_BACKENDS=wasm,cpu (default both), BENCH_ATTACK_INPUTS=64, and
 * BENCH_ATTACK_CPU_INPUTS=32: the cpu backend is ~20× slower than wasm here (ML-CW on all 64
 * inputs took 2.5–3.5 minutes), so by default it attacks the first 32 only, compared with a
 * PyTorch run on the same 32.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type ConcreteBackend, setupBackend } from '@mlap/backend';
import { defineModel, mlCw, mlDeepFool, runAttack } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import Table from 'cli-table3';
import {
  type AttackCase,
  type AttackSettings,
  buildAttackCase,
  caseModelShape,
  writeAttackCase,
} from './attack-case.js';
import { ATTACK_INPUT_SHAPE, attackCnn } from './attack-cnn.js';
import { type AttackRun, type TorchAttackRuns, torchAttackRuns } from './attack-reference.js';
import { agreement, type RunSummary, summarise } from './attack-stats.js';

type AttackName = keyof AttackSettings;
const ATTACK_NAMES: readonly AttackName[] = ['mlCw', 'mlDeepFool'];
const TITLES: Record<AttackName, string> = { mlCw: 'ML-CW', mlDeepFool: 'ML-DeepFool' };

const count = Number(process.env.BENCH_ATTACK_INPUTS ?? 64);
const cpuCount = Math.min(count, Number(process.env.BENCH_ATTACK_CPU_INPUTS ?? 32));
const backends = (process.env.BENCH_BACKENDS ?? 'wasm,cpu').split(',') as ConcreteBackend[];
const results = new URL('../results/', import.meta.url);
const caseFile = new URL('attack-case.json', results);

/** Reduced but identical settings on both engines, so the whole bench takes minutes. */
const SETTINGS = {
  mlCw: { maxIterations: 100, binarySearchSteps: 5 },
  mlDeepFool: {},
};

/** Samples each backend attacks: every input on wasm, a prefix on the slow cpu backend. */
const inputsFor = (backend: ConcreteBackend) => (backend === 'cpu' ? cpuCount : count);

/** One mlap run of `name` on the first `n` samples of the case, on the current backend. */
async function runMlap(attackCase: AttackCase, name: AttackName, n: number): Promise<AttackRun> {
  const cnn = attackCnn(attackCase.weights);
  const model = defineModel({ ...caseModelShape(), scores: cnn.logits });
  const pixels = ATTACK_INPUT_SHAPE.reduce((a, b) => a * b, 1);
  const inputs = tf.tensor(attackCase.inputs.subarray(0, n * pixels), [n, ...ATTACK_INPUT_SHAPE]);
  const request = { model, inputs, targets: attackCase.targets.slice(0, n), seed: attackCase.seed };
  try {
    const start = performance.now();
    const result =
      name === 'mlCw'
        ? await runAttack(mlCw, request, attackCase.settings.mlCw)
        : await runAttack(mlDeepFool, request, attackCase.settings.mlDeepFool);
    const ms = performance.now() - start;
    result.dispose();
    const samples = result.samples.map(({ success, l2, iterations }) => ({
      success,
      l2,
      iterations,
    }));
    return { ms, samples };
  } finally {
    inputs.dispose();
    cnn.dispose();
  }
}

/** Both attacks on one backend, after a tiny warm-up run; fails on a tensor leak. */
async function measureBackend(
  backend: ConcreteBackend,
  attackCase: AttackCase,
): Promise<Record<AttackName, AttackRun>> {
  await setupBackend({ backend, quiet: true });
  const before = tf.memory().numTensors;
  // Kernel set-up and first-call costs stay out of the timing, as in the PyTorch script.
  const tiny = {
    ...attackCase,
    settings: {
      mlCw: { ...attackCase.settings.mlCw, maxIterations: 2, binarySearchSteps: 1 },
      mlDeepFool: { ...attackCase.settings.mlDeepFool, maxIterations: 2 },
    },
  };
  const runs = {} as Record<AttackName, AttackRun>;
  for (const name of ATTACK_NAMES) {
    await runMlap(tiny, name, 2);
    runs[name] = await runMlap(attackCase, name, inputsFor(backend));
    const s = summarise(runs[name]);
    process.stderr.write(
      `  ${backend} ${TITLES[name]}: ${s.seconds.toFixed(1)} s, ${s.successRate.toFixed(1)}% success\n`,
    );
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${backend}: ${leaked} tensors leaked during the attacks`);
  return runs;
}

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const signed = (v: number) => `${v >= 0 ? '+' : ''}${fmt(v, 1)}`;

/** The PyTorch runs on one sample count: active samples only (the reference), and full batch. */
interface TorchPair {
  readonly sparse: TorchAttackRuns;
  readonly dense?: TorchAttackRuns;
}

/** Table cells of one run; mlap runs also get ratios to the PyTorch runs on the same samples. */
function row(engine: string, name: AttackName, run: AttackRun, torch?: TorchPair): string[] {
  const s: RunSummary = summarise(run);
  const base = [engine, String(s.inputs), fmt(s.seconds, 2), fmt(s.successRate, 1)];
  const tail = [fmt(s.medianL2, 4), fmt(s.meanIterations, 1)];
  const reference = torch?.sparse.attacks[name];
  if (reference === undefined || reference === run)
    return [...base, ...tail, '', '', '', '', '', ''];
  const r = summarise(reference);
  const dense = torch?.dense?.attacks[name];
  const a = agreement(run.samples, reference.samples);
  return [
    ...base,
    ...tail,
    `${fmt(s.seconds / r.seconds, 2)}×`,
    dense === undefined ? '–' : `${fmt(run.ms / dense.ms, 2)}×`,
    signed(s.successRate - r.successRate),
    fmt(s.medianL2 / r.medianL2, 4),
    fmt(a.sameOutcome, 1),
    fmt(a.medianL2Ratio, 4),
  ];
}

const HEAD = [
  'engine',
  'inputs',
  'time s',
  'success\n%',
  'median\nL2',
  'mean\niters',
  'time ÷\nPyTorch',
  'time ÷ PyTorch\nfull batch',
  'success Δ\npoints',
  'median L2 ÷\nPyTorch',
  'same\noutcome %',
  'per-sample\nL2 ratio',
];

function printTable(
  mlap: Partial<Record<ConcreteBackend, Record<AttackName, AttackRun>>>,
  torchBySize: Map<number, TorchPair>,
): void {
  for (const name of ATTACK_NAMES) {
    const table = new Table({ head: [TITLES[name], ...HEAD], style: { head: [], border: [] } });
    for (const size of [...new Set(backends.map(inputsFor))]) {
      const torch = torchBySize.get(size);
      const threads = `${torch?.sparse.threads} thr`;
      const reference = torch?.sparse.attacks[name];
      const dense = torch?.dense?.attacks[name];
      if (reference !== undefined)
        table.push(['', ...row(`PyTorch (${threads})`, name, reference)]);
      if (dense !== undefined) table.push(['', ...row('PyTorch, full batch', name, dense)]);
      for (const backend of backends.filter((b) => inputsFor(b) === size)) {
        const run = mlap[backend]?.[name];
        if (run !== undefined) table.push(['', ...row(`mlap ${backend}`, name, run, torch)]);
      }
    }
    console.log(table.toString());
  }
}

/** Runs the PyTorch reference on every sample count a backend uses, both ways. */
async function torchReference(): Promise<{ runs: Map<number, TorchPair>; skipped?: string }> {
  const runs = new Map<number, TorchPair>();
  for (const size of new Set(backends.map(inputsFor))) {
    const sparse = await torchAttackRuns(caseFile, size);
    if (typeof sparse === 'string') return { runs, skipped: sparse };
    const dense = await torchAttackRuns(caseFile, size, true);
    runs.set(size, typeof dense === 'string' ? { sparse } : { sparse, dense });
  }
  return { runs };
}

const NOTES = `Ratios are mlap ÷ PyTorch on the same samples. "PyTorch" drops finished samples from every
pass (the reference); "full batch" masks them instead, the work mlap's batched loops do, so
"time ÷ PyTorch full batch" compares kernels and per-pass overheads alone. "same outcome %":
samples whose success agrees; "per-sample L2 ratio": median of mlap L2 ÷ PyTorch L2 over the
samples both attacked successfully. See bench/README.md for the differences.`;

async function main(): Promise<void> {
  // The case is always built on the cpu backend: plain float32 JavaScript, so the calibrated
  // weights and the clean predictions do not depend on which backends are benchmarked.
  await setupBackend({ backend: 'cpu', quiet: true });
  const attackCase = await buildAttackCase(count, 5, { kind: 'random' }, SETTINGS);
  mkdirSync(results, { recursive: true });
  writeAttackCase(attackCase, caseFile);
  process.stderr.write(
    `attack bench: CNN 16×16×3 → 10 labels, ${count} inputs (cpu: first ${cpuCount}), ` +
      'target strategy random; case in bench/results/attack-case.json\n',
  );
  const torch = await torchReference();
  const mlap: Partial<Record<ConcreteBackend, Record<AttackName, AttackRun>>> = {};
  for (const backend of backends) mlap[backend] = await measureBackend(backend, attackCase);
  printTable(mlap, torch.runs);
  console.log(NOTES);
  if (backends.includes('cpu') && cpuCount < count) {
    console.log(
      `The cpu backend attacked the first ${cpuCount} of the ${count} inputs only ` +
        '(BENCH_ATTACK_CPU_INPUTS; all of them take minutes), compared with PyTorch on the same ones.',
    );
  }
  if (torch.skipped !== undefined) console.log(`PyTorch reference skipped: ${torch.skipped}`);
  const record = {
    date: new Date().toISOString(),
    inputs: { wasm: count, cpu: cpuCount },
    settings: attackCase.settings,
    reference: Object.fromEntries(torch.runs),
    mlap,
  };
  writeFileSync(new URL('attacks.json', results), `${JSON.stringify(record, null, 2)}\n`);
}

// Report failures in one line: the wasm runtime's exception hook would print its whole source.
await main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
