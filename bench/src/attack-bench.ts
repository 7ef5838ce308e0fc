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
import { mlCw, mlDeepFool, runAttack } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type AttackCase,
  type AttackSettings,
  buildAttackCase,
  writeAttackCase,
} from './attack-case.js';
import {
  COMPARISON_NOTES,
  comparisonTable,
  type TorchPair,
  timedRun,
  torchReference,
} from './attack-compare.js';
import type { AttackRun } from './attack-reference.js';
import { summarise } from './attack-stats.js';

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
function runMlap(attackCase: AttackCase, name: AttackName, n: number): Promise<AttackRun> {
  return timedRun(attackCase, n, (request) =>
    name === 'mlCw'
      ? runAttack(mlCw, request, attackCase.settings.mlCw)
      : runAttack(mlDeepFool, request, attackCase.settings.mlDeepFool),
  );
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

function printTable(
  mlap: Partial<Record<ConcreteBackend, Record<AttackName, AttackRun>>>,
  torchBySize: Map<number, TorchPair>,
): void {
  for (const name of ATTACK_NAMES)
    console.log(comparisonTable(TITLES[name], name, backends, inputsFor, mlap, torchBySize));
}

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
  const torch = await torchReference(caseFile, backends.map(inputsFor));
  const mlap: Partial<Record<ConcreteBackend, Record<AttackName, AttackRun>>> = {};
  for (const backend of backends) mlap[backend] = await measureBackend(backend, attackCase);
  printTable(mlap, torch.runs);
  console.log(COMPARISON_NOTES);
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
