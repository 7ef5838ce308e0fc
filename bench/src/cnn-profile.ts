/**
 * `pnpm --filter @mlap/bench profile`: where the time of the benchmark CNN's workloads goes on
 * one backend (BENCH_BACKENDS, default wasm; BENCH_THREADS, default 1; BENCH_WINOGRAD=0 for
 * XNNPACK's 3×3 convolutions), kernel by kernel from
 * `tf.profile`.
 */
import { type ConcreteBackend, setupBackend } from '@mlap/backend';
import { batchedJacobian, inputGradient, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { benchCnn } from './cnn.js';
import { formatProfile, profileKernels } from './profile-kernels.js';

const backend = (process.env.BENCH_BACKENDS ?? 'wasm').split(',')[0] as ConcreteBackend;
const batch = Number(process.env.BENCH_BATCH ?? 32);

await setupBackend({
  backend,
  quiet: true,
  wasmThreads: Number(process.env.BENCH_THREADS ?? 1),
  winograd: process.env.BENCH_WINOGRAD !== '0',
});
const model = benchCnn(0);
const x = Rng.seeded(1).uniformTensor([batch, 32, 32, 3]);
const workloads: [string, () => tf.Tensor][] = [
  ['forward', () => model.predict(x)],
  [
    'forward + input gradient',
    () => {
      const { value, gradient } = inputGradient((t) => tf.sum(model.predict(t), 1), x);
      value.dispose();
      return gradient;
    },
  ],
  [
    '20-label Jacobian (retained, default)',
    () => tf.tidy(() => batchedJacobian(model.predict, x).jacobian),
  ],
];
for (const [name, work] of workloads) {
  const warm = work(); // first runs pay for operator set-up
  await warm.data();
  warm.dispose();
  console.log(`${backend}, ${name}:`);
  console.log(formatProfile(await profileKernels(work)));
}
tf.dispose(x);
model.dispose();
