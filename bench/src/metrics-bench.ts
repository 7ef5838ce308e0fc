/**
 * `pnpm bench` (metrics): every multi-label quality metric of @mlap/metrics (`evaluateMultiLabel`:
 * subset accuracy, Hamming loss, P/R/F1 under four averages, per-label AP and mAP, ranking loss,
 * coverage, LRAP, one-error, P@k / R@k) on a seeded 10,000 × 81 score matrix (NUS-WIDE size), on
 * each tfjs backend. The target is under a second on wasm. Results also go to
 * bench/results/metrics.json.
 *
 * Environment: BENCH_BACKENDS=wasm,cpu (default both), BENCH_METRICS_SAMPLES=10000,
 * BENCH_METRICS_LABELS=81.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type ConcreteBackend, setupBackend } from '@mlap/backend';
import { evaluateMultiLabel, kendallTau } from '@mlap/metrics';
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { medianMs } from './timing.js';

const samples = Number(process.env.BENCH_METRICS_SAMPLES ?? 10_000);
const labels = Number(process.env.BENCH_METRICS_LABELS ?? 81);
const backends = (process.env.BENCH_BACKENDS ?? 'wasm,cpu').split(',') as ConcreteBackend[];
const results = new URL('../results/', import.meta.url);

interface Timing {
  readonly backend: ConcreteBackend;
  readonly evaluateMs: number;
  readonly kendallTauMs: number;
}

async function measure(backend: ConcreteBackend): Promise<Timing> {
  await setupBackend({ backend, quiet: true });
  const before = tf.memory().numTensors;
  const rng = Rng.seeded(81);
  const scores = rng.uniformTensor([samples, labels]);
  const after = rng.uniformTensor([samples, labels]);
  // About 2.4 positives per sample, as NUS-WIDE.
  const y = tf.tidy(() => tf.cast(tf.less(rng.uniformTensor([samples, labels]), 0.03), 'float32'));
  let timing: Timing;
  try {
    const runs = backend === 'cpu' ? 1 : 5;
    const evaluateMs = await medianMs(async () => {
      evaluateMultiLabel(y, scores, { k: [1, 3, 5] });
    }, runs);
    const kendallTauMs = await medianMs(async () => {
      kendallTau(scores, after);
    }, 1);
    timing = { backend, evaluateMs, kendallTauMs };
  } finally {
    tf.dispose([scores, after, y]);
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`metrics bench leaked ${leaked} tensors on ${backend}`);
  return timing;
}

const timings: Timing[] = [];
for (const backend of backends) timings.push(await measure(backend));
console.log(`metrics on ${samples} × ${labels} scores (median wall time)`);
for (const t of timings) {
  const verdict =
    t.backend === 'wasm'
      ? t.evaluateMs < 1000
        ? ' (target < 1 s: ok)'
        : ' (target < 1 s: MISSED)'
      : '';
  console.log(
    `  ${t.backend.padEnd(5)} evaluateMultiLabel ${t.evaluateMs.toFixed(0)} ms${verdict}; kendallTau ${t.kendallTauMs.toFixed(0)} ms`,
  );
}
mkdirSync(results, { recursive: true });
writeFileSync(
  new URL('metrics.json', results),
  `${JSON.stringify({ samples, labels, timings }, null, 2)}\n`,
);
const wasm = timings.find((t) => t.backend === 'wasm');
if (wasm !== undefined && wasm.evaluateMs >= 1000) process.exitCode = 1;
