/**
 * `pnpm bench`: forward, forward + input gradient and the full 20-label Jacobian of the
 * benchmark CNN (batch 32 of 32×32×3) on each tfjs backend, next to the PyTorch reference
 * measured in the same run, with ratios. Results also go to bench/results/cnn.json.
 *
 * Environment: BENCH_BACKENDS=wasm,cpu (default both), BENCH_BATCH=32, BENCH_THREADS=1 (wasm
 * threads; PyTorch is given the same count, so the ratios compare like with like),
 * BENCH_WINOGRAD=0 (wasm's 3×3 convolutions on XNNPACK instead of mlap's Winograd kernel).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type ConcreteBackend, setupBackend } from '@mlap/backend';
import { batchedJacobian, inputGradient, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import Table from 'cli-table3';
import { benchCnn, LABELS } from './cnn.js';
import { medianMs } from './timing.js';
import { type TorchTimings, torchTimings } from './torch-reference.js';

type Workload = 'forward' | 'gradient' | 'jacobian' | 'jacobianTiled' | 'jacobianPerLabel';
type Timings = Partial<Record<Workload, number>>;

const batch = Number(process.env.BENCH_BATCH ?? 32);
const backends = (process.env.BENCH_BACKENDS ?? 'wasm,cpu').split(',') as ConcreteBackend[];
const threads = Number(process.env.BENCH_THREADS ?? 1);
const winograd = process.env.BENCH_WINOGRAD !== '0';

/** Runs per workload: the cpu backend is ~30× slower, so it gets single runs of the slow ones. */
function runsFor(backend: ConcreteBackend, workload: Workload): { runs: number; warmup: number } {
  if (workload === 'forward')
    return backend === 'cpu' ? { runs: 3, warmup: 1 } : { runs: 10, warmup: 2 };
  if (workload === 'gradient')
    return backend === 'cpu' ? { runs: 1, warmup: 0 } : { runs: 3, warmup: 1 };
  return { runs: backend === 'cpu' || workload === 'jacobianPerLabel' ? 1 : 3, warmup: 0 };
}

async function measureBackend(backend: ConcreteBackend): Promise<Timings> {
  await setupBackend({ backend, quiet: true, wasmThreads: threads, winograd });
  const before = tf.memory().numTensors;
  const model = benchCnn(0);
  const x = Rng.seeded(1).uniformTensor([batch, 32, 32, 3]);
  const work: Record<Workload, () => tf.Tensor> = {
    forward: () => model.predict(x),
    gradient: () => {
      const { value, gradient } = inputGradient((t) => tf.sum(model.predict(t), 1), x);
      value.dispose(); // kept out of tidy scopes by inputGradient: the caller owns it
      return gradient;
    },
    jacobian: () => batchedJacobian(model.predict, x).jacobian,
    jacobianTiled: () => batchedJacobian(model.predict, x, { strategy: 'tiled' }).jacobian,
    jacobianPerLabel: () => batchedJacobian(model.predict, x, { strategy: 'perLabel' }).jacobian,
  };
  const timings: Timings = {};
  for (const workload of Object.keys(work) as Workload[]) {
    // Minutes each on cpu, and never faster than the default there.
    if (workload !== 'jacobian' && workload.startsWith('jacobian') && backend === 'cpu') continue;
    const { runs, warmup } = runsFor(backend, workload);
    timings[workload] = await medianMs(
      async () => {
        // Tensors besides the result (e.g. Jacobian scores) are freed by the tidy.
        const out = tf.tidy(() => work[workload]());
        await out.data();
        out.dispose();
      },
      runs,
      warmup,
    );
    process.stderr.write(`  ${backend} ${workload}: ${timings[workload]?.toFixed(1)} ms\n`);
  }
  tf.dispose(x);
  model.dispose();
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${backend}: ${leaked} tensors leaked during the benchmark`);
  return timings;
}

function cell(ms: number | undefined, reference: number | undefined): string[] {
  if (ms === undefined) return ['–', '–'];
  const ratio = reference === undefined ? '–' : `${(ms / reference).toFixed(1)}×`;
  return [ms.toFixed(1), ratio];
}

/** One line: wasm on `threads` threads against PyTorch on its default thread count. */
function againstDefault(wasm: Timings, torch: TorchTimings): string {
  const ratio = (ours: number | undefined, theirs: number) =>
    ours === undefined ? '–' : `${(ours / theirs).toFixed(1)}×`;
  return (
    `wasm (${threads} threads) / PyTorch at its default (${torch.threads} thread(s)): ` +
    `forward ${ratio(wasm.forward, torch.forward)}, ` +
    `forward + input gradient ${ratio(wasm.gradient, torch.gradient)}, ` +
    `${LABELS}-label Jacobian ${ratio(wasm.jacobian, torch.jacobian)}`
  );
}

async function main(): Promise<void> {
  process.stderr.write(
    `benchmark CNN, batch ${batch} of 32×32×3, ${LABELS} labels, ${threads} thread(s), ` +
      `wasm 3×3 convolutions: ${winograd ? 'Winograd' : 'XNNPACK'}\n`,
  );
  const torch = await torchTimings(batch, threads);
  const reference: TorchTimings | undefined = typeof torch === 'string' ? undefined : torch;
  // PyTorch as a user runs it: its own default thread count (1 on these machines).
  const torchDefault = threads > 1 ? await torchTimings(batch) : undefined;
  const results: Record<string, Timings> = {};
  for (const backend of backends) results[backend] = await measureBackend(backend);

  const table = new Table({
    head: [
      'workload (ms, median)',
      reference?.engine ?? 'PyTorch',
      ...backends.flatMap((b) => [b === 'wasm' ? `wasm (${threads} thr.)` : b, `${b}/PyTorch`]),
    ],
    style: { head: [], border: [] },
  });
  const rows: [string, Workload, number | undefined][] = [
    ['forward', 'forward', reference?.forward],
    ['forward + input gradient', 'gradient', reference?.gradient],
    [`${LABELS}-label Jacobian (retained, default)`, 'jacobian', reference?.jacobian],
    [`${LABELS}-label Jacobian (tiled)`, 'jacobianTiled', reference?.jacobian],
    [`${LABELS}-label Jacobian (per label)`, 'jacobianPerLabel', reference?.jacobian],
  ];
  for (const [name, key, ref] of rows) {
    table.push([
      name,
      ref?.toFixed(1) ?? '–',
      ...backends.flatMap((b) => cell(results[b]?.[key], ref)),
    ]);
  }
  console.log(table.toString());
  if (reference === undefined) console.log(`PyTorch reference skipped: ${torch}`);
  else {
    console.log(
      `PyTorch: ${reference.threads} thread(s); its Jacobian is the faster of tiled ` +
        `(${reference.jacobianTiled.toFixed(0)} ms) and retained-graph per label (${reference.jacobianRetained.toFixed(0)} ms).`,
    );
  }
  const wasm = results.wasm;
  if (typeof torchDefault === 'object' && wasm !== undefined)
    console.log(againstDefault(wasm, torchDefault));
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  const record = {
    date: new Date().toISOString(),
    batch,
    threads,
    winograd,
    reference: torch,
    ...(torchDefault !== undefined && { referenceDefaultThreads: torchDefault }),
    tfjs: results,
  };
  writeFileSync(
    new URL('../results/cnn.json', import.meta.url),
    `${JSON.stringify(record, null, 2)}\n`,
  );
}

// Report failures in one line: the wasm runtime's exception hook would print its whole source.
await main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
