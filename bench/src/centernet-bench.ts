/**
 * `pnpm bench` (second part): the real MobileNetV3-CenterNet graph model from `../shared` on
 * wasm — forward and input-gradient time per 512×512 photo, with the kernels that dominate the
 * gradient — and, with BENCH_CENTERNET_CPU=1, the cosine between the wasm gradient and the cpu
 * backend's (the cpu gradient takes minutes). BENCH_THREADS sets wasm's threads (default 1),
 * BENCH_WINOGRAD=0 keeps XNNPACK's 3×3 convolutions.
 * Results also go to bench/results/centernet.json.
 *
 * The multi-label score of class j is the maximum of heatmap j; the gradient is that of the sum
 * of all 80 scores (one backward pass, as an attack step takes).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { setupBackend } from '@mlap/backend';
import { inputGradient } from '@mlap/tensor';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { centerNetAvailable, centerNetScores, loadCenterNet, loadPhoto } from './centernet.js';
import { formatProfile, profileKernels } from './profile-kernels.js';
import { medianMs } from './timing.js';

const photo = process.env.BENCH_CENTERNET_PHOTO ?? 'astronaut.png';
const withCpu = process.env.BENCH_CENTERNET_CPU === '1';
/** wasm threads (BENCH_THREADS, default 1), as in the CNN benchmark. */
const threads = Number(process.env.BENCH_THREADS ?? 1);
/** The acceptance bound for one input gradient on wasm. */
const targetMs = 3000;

function gradientOf(model: GraphModel, x: tf.Tensor): tf.Tensor {
  const { value, gradient } = inputGradient((t) => tf.sum(centerNetScores(model, t), 1), x);
  value.dispose();
  return gradient;
}

async function timed(fn: () => tf.Tensor, runs: number): Promise<number> {
  return medianMs(
    async () => {
      const out = fn();
      await out.data();
      out.dispose();
    },
    runs,
    1,
  );
}

/** Gradient values on `backend`, for the cosine between backends. */
async function gradientOn(backend: 'wasm' | 'cpu', model: GraphModel): Promise<Float32Array> {
  await setupBackend({ backend, quiet: true });
  const x = await loadPhoto(photo);
  const g = gradientOf(model, x);
  const values = (await g.data()) as Float32Array;
  tf.dispose([g, x]);
  return values;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const u = a[i] ?? 0;
    const v = b[i] ?? 0;
    ab += u * v;
    aa += u * u;
    bb += v * v;
  }
  return ab / Math.sqrt(aa * bb);
}

async function main(): Promise<void> {
  if (!centerNetAvailable()) {
    console.log('CenterNet benchmark skipped: ../shared/models/centernet-coco is not present');
    return;
  }
  const winograd = process.env.BENCH_WINOGRAD !== '0';
  await setupBackend({ backend: 'wasm', quiet: true, wasmThreads: threads, winograd });
  const model = await loadCenterNet();
  const x = await loadPhoto(photo);
  const forward = await timed(() => centerNetScores(model, x), 5);
  const gradient = await timed(() => gradientOf(model, x), 3);
  const profile = await profileKernels(() => gradientOf(model, x));
  x.dispose();
  console.log(
    `CenterNet (MobileNetV3, 512×512, ${photo}) on wasm, ${threads} thread(s), median ms:`,
  );
  console.log(`  forward                 ${forward.toFixed(0)} ms`);
  const verdict = gradient <= targetMs ? 'within' : 'OVER';
  console.log(
    `  input gradient (sum of 80 class scores) ${gradient.toFixed(0)} ms (${verdict} the ${targetMs} ms target)`,
  );
  console.log('  where the gradient time goes (tf.profile, one run):');
  console.log(formatProfile(profile, 8));
  let cpu: { cosine: number; ms: number } | undefined;
  if (withCpu) {
    const ours = await gradientOn('wasm', model);
    const start = performance.now();
    const reference = await gradientOn('cpu', model);
    cpu = { cosine: cosine(ours, reference), ms: performance.now() - start };
    console.log(
      `  cosine(wasm gradient, cpu gradient) = ${cpu.cosine.toFixed(6)} (cpu took ${(cpu.ms / 1000).toFixed(0)} s)`,
    );
  } else {
    console.log(
      '  (BENCH_CENTERNET_CPU=1 also computes the cpu gradient, minutes, and the cosine)',
    );
  }
  model.dispose();
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  const record = {
    date: new Date().toISOString(),
    photo,
    threads,
    wasm: { forward, gradient },
    cpu,
  };
  writeFileSync(
    new URL('../results/centernet.json', import.meta.url),
    `${JSON.stringify(record, null, 2)}\n`,
  );
}

await main().catch((error: unknown) => {
  console.error(
    `centernet bench failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
