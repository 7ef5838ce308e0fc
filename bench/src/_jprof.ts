import { setupBackend } from '@mlap/backend';
import { batchedJacobian, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { benchCnn } from './cnn.js';
await setupBackend({ backend: 'wasm', quiet: true, wasmThreads: Number(process.env.BENCH_THREADS ?? 2) });
const model = benchCnn(0);
const x = Rng.seeded(1).uniformTensor([32, 32, 32, 3]);
const run = async () => { const j = tf.tidy(() => batchedJacobian(model.predict, x).jacobian); await j.data(); j.dispose(); };
for (let i = 0; i < 3; i++) await run();
const times: number[] = [];
for (let i = 0; i < 8; i++) { const t = performance.now(); await run(); times.push(performance.now() - t); }
console.log(times.map((t) => t.toFixed(0)).join(' '));
