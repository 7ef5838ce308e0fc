/**
 * What the attack benchmarks share: one timed mlap run on the benchmark case, the PyTorch
 * reference runs on each sample count, and the comparison table (mlap ÷ PyTorch ratios).
 */
import type { ConcreteBackend } from '@mlap/backend';
import { type AttackRequest, type AttackResult, defineModel } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import Table from 'cli-table3';
import { type BenchCase, caseModelShape } from './attack-case.js';
import { ATTACK_INPUT_SHAPE, attackCnn } from './attack-cnn.js';
import {
  type AttackRun,
  type TorchAttackRuns,
  type TorchReference,
  torchAttackRuns,
} from './attack-reference.js';
import { agreement, type RunSummary, summarise } from './attack-stats.js';

const PIXELS = ATTACK_INPUT_SHAPE.reduce((a, b) => a * b, 1);

/**
 * Times `attack` on the first `n` samples of the case, on the current backend (the case's CNN,
 * inputs, targets and seed; `withStart`: also its start labels, which the ranking sets come from).
 * Returns the wall time and the verified per-sample outcomes; frees everything it made.
 */
export async function timedRun(
  benchCase: BenchCase<unknown>,
  n: number,
  attack: (request: AttackRequest) => Promise<AttackResult>,
  withStart = false,
): Promise<AttackRun> {
  const cnn = attackCnn(benchCase.weights);
  const model = defineModel({ ...caseModelShape(), scores: cnn.logits });
  const inputs = tf.tensor(benchCase.inputs.subarray(0, n * PIXELS), [n, ...ATTACK_INPUT_SHAPE]);
  const request: AttackRequest = {
    model,
    inputs,
    targets: benchCase.targets.slice(0, n),
    seed: benchCase.seed,
    ...(withStart ? { start: benchCase.start.slice(0, n) } : {}),
  };
  try {
    const start = performance.now();
    const result = await attack(request);
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

/** The PyTorch runs on one sample count: active samples only (the reference), and full batch. */
export interface TorchPair {
  readonly sparse: TorchAttackRuns;
  readonly dense?: TorchAttackRuns;
}

/** Runs the PyTorch reference on every sample count in `sizes`, both ways. */
export async function torchReference(
  caseFile: URL,
  sizes: Iterable<number>,
  reference: TorchReference = 'ml_attacks.py',
): Promise<{ runs: Map<number, TorchPair>; skipped?: string }> {
  const runs = new Map<number, TorchPair>();
  for (const size of new Set(sizes)) {
    const sparse = await torchAttackRuns(caseFile, size, false, reference);
    if (typeof sparse === 'string') return { runs, skipped: sparse };
    const dense = await torchAttackRuns(caseFile, size, true, reference);
    runs.set(size, typeof dense === 'string' ? { sparse } : { sparse, dense });
  }
  return { runs };
}

/** A number with `digits` decimals, or '–' when it is not finite. */
export const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const signed = (v: number) => `${v >= 0 ? '+' : ''}${fmt(v, 1)}`;

/** Table cells of one run; mlap runs also get ratios to the PyTorch runs on the same samples. */
function row(engine: string, name: string, run: AttackRun, torch?: TorchPair): string[] {
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

/**
 * The comparison table of one attack (`name`, titled `title`): for each sample count, the
 * PyTorch runs on it, then the mlap backends that attacked that many samples.
 */
export function comparisonTable(
  title: string,
  name: string,
  backends: readonly ConcreteBackend[],
  inputsFor: (backend: ConcreteBackend) => number,
  mlap: Partial<Record<ConcreteBackend, Readonly<Record<string, AttackRun>>>>,
  torchBySize: ReadonlyMap<number, TorchPair>,
): string {
  const table = new Table({ head: [title, ...HEAD], style: { head: [], border: [] } });
  for (const size of [...new Set(backends.map(inputsFor))]) {
    const torch = torchBySize.get(size);
    const threads = `${torch?.sparse.threads} thr`;
    const reference = torch?.sparse.attacks[name];
    const dense = torch?.dense?.attacks[name];
    if (reference !== undefined) table.push(['', ...row(`PyTorch (${threads})`, name, reference)]);
    if (dense !== undefined) table.push(['', ...row('PyTorch, full batch', name, dense)]);
    for (const backend of backends.filter((b) => inputsFor(b) === size)) {
      const run = mlap[backend]?.[name];
      if (run !== undefined) table.push(['', ...row(`mlap ${backend}`, name, run, torch)]);
    }
  }
  return table.toString();
}

/** What the comparison columns mean. */
export const COMPARISON_NOTES = `Ratios are mlap ÷ PyTorch on the same samples. "PyTorch" drops finished samples from every
pass (the reference); "full batch" masks them instead, the work mlap's batched loops do, so
"time ÷ PyTorch full batch" compares kernels and per-pass overheads alone. "same outcome %":
samples whose success agrees; "per-sample L2 ratio": median of mlap L2 ÷ PyTorch L2 over the
samples both attacked successfully. See bench/README.md for the differences.`;
