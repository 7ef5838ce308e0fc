/**
 * Threaded wasm in Node (`wasm-threads.node.ts`): the same numbers on any thread count, the
 * thread count reported, bad counts refused, and a process that still exits. The `:wasm` and
 * `:wasm-2-threads` projects run it; on cpu there is no wasm backend to thread.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { batchedJacobian, Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { setupBackend } from '../src/index.js';
import type { SimdKernels } from '../src/kernels/simd-kernels.js';
import { heapOf, simdKernelsOf, useSimdKernels } from '../src/kernels/simd-registry.js';
import { registerThreadedWasm, stallTimer } from '../src/wasm-threads.node.js';

const onWasm = process.env.MLAP_BACKEND === 'wasm';
const projectThreads = Number(process.env.MLAP_WASM_THREADS ?? 1);

/** A seeded two-conv CNN's 5-label Jacobian on 3 images, as raw float32 values. */
async function cnnJacobian(): Promise<Float32Array> {
  const rng = Rng.seeded(7);
  const w1 = rng.normalTensor([3, 3, 3, 16], 0, 0.3) as tf.Tensor4D;
  const w2 = rng.normalTensor([3, 3, 16, 32], 0, 0.1) as tf.Tensor4D;
  const dense = rng.normalTensor([8 * 8 * 32, 5], 0, 0.02) as tf.Tensor2D;
  const x = rng.uniformTensor([8, 16, 16, 3]); // 128 Winograd tiles: split over threads
  const model = (t: tf.Tensor) =>
    tf.tidy(() => {
      const h1 = tf.relu(tf.conv2d(t as tf.Tensor4D, w1, 1, 'same'));
      const h2 = tf.maxPool(tf.relu(tf.conv2d(h1, w2, 1, 'same')), 2, 2, 'valid');
      return tf.sigmoid(tf.matMul(tf.reshape(h2, [t.shape[0] ?? 0, -1]), dense)) as tf.Tensor2D;
    });
  const jacobian = tf.tidy(() => batchedJacobian(model, x).jacobian);
  const values = (await jacobian.data()) as Float32Array;
  tf.dispose([jacobian, w1, w2, dense, x]);
  return values;
}

/** Restarts tfjs's wasm backend as the threaded build with `threads` threads. */
async function restartThreaded(threads: number): Promise<void> {
  tf.removeBackend('wasm');
  await registerThreadedWasm(threads);
  await tf.setBackend('wasm');
  // As setupBackend does: a new backend runs mlap's SIMD kernels too, on its threads.
  await useSimdKernels(tf.backend(), { threads });
}

describe.runIf(onWasm)('threaded wasm in Node', () => {
  it('gives bit-identical results on 1 and 2 threads and on the running build', async () => {
    const saved = tf.engine().registryFactory.wasm;
    if (saved === undefined) throw new Error('no wasm backend registered');
    const running = await cnnJacobian();
    const results: Float32Array[] = [];
    const kernels: (SimdKernels | undefined)[] = [];
    const current = () => {
      const heap = heapOf(tf.backend());
      return heap && simdKernelsOf(heap);
    };
    try {
      for (const threads of [1, 2]) {
        await restartThreaded(threads);
        kernels.push(current());
        expect(current()?.threads).toBe(threads);
        results.push(await cnnJacobian());
      }
    } finally {
      tf.removeBackend('wasm');
      tf.registerBackend('wasm', saved.factory, saved.priority);
      await tf.setBackend('wasm');
      await useSimdKernels(tf.backend(), { threads: projectThreads });
    }
    expect(running.some((v) => v !== 0)).toBe(true);
    for (const values of results) {
      expect(Buffer.from(values.buffer).equals(Buffer.from(running.buffer))).toBe(true);
    }
    // The 2-thread run had a helper thread for mlap's SIMD kernels (checked above); every
    // replaced backend's helpers were stopped, and the backend running now has its own again.
    expect(kernels.map((k) => k?.threads)).toEqual([1, 1]);
    expect(current()?.threads).toBe(projectThreads);
  });

  it('reports the thread count it runs on', async () => {
    const info = await setupBackend({ backend: 'wasm', wasmThreads: projectThreads });
    expect(info.threads).toBe(projectThreads);
    expect(info.summary).toContain(`(${projectThreads} thread`);
  });

  it('refuses thread counts outside 1–8 and keeps a running backend as it is', async () => {
    for (const bad of [0, 9, 1.5, Number.NaN]) {
      await expect(registerThreadedWasm(bad)).rejects.toThrow(/integer from 1 to 8/);
    }
    const other = projectThreads === 1 ? 2 : 1;
    const info = await setupBackend({ backend: 'wasm', wasmThreads: other });
    expect(info.threads).toBe(projectThreads);
  });

  it('lets a Node process exit while its thread pool idles', () => {
    const source = fileURLToPath(new URL('../src/wasm-threads.node.ts', import.meta.url));
    const script = [
      `import * as tf from '@tensorflow/tfjs-core';`,
      `import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';`,
      `const { registerThreadedWasm } = await import(${JSON.stringify(source)});`,
      `await registerThreadedWasm(2);`,
      `await tf.setBackend('wasm');`,
      `const y = tf.conv2d(tf.ones([2, 16, 16, 8]), tf.ones([3, 3, 8, 8]), 1, 'same');`,
      `console.log(getThreadsCount(), (await y.data())[0]);`,
    ].join('\n');
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd, encoding: 'utf8', timeout: 60_000 },
    );
    // A pool that kept Node alive would hit the timeout (status null, signal SIGTERM).
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('2 32');
  });
});

describe('threaded wasm start-up', () => {
  it('fails, saying how far it got, when pthread workers never load', async () => {
    const unusedWorkers = [true, true, false].map((loaded) => ({ loaded, unref() {} }));
    const stall = stallTimer(() => ({ unusedWorkers }), 50);
    await expect(stall.failed).rejects.toThrow(
      "tfjs's threaded wasm build did not start within 0.05 s (2 of its 8 pthread workers loaded)",
    );
  });

  it('stays silent once cancelled', async () => {
    const stall = stallTimer(() => undefined, 20);
    stall.cancel();
    const outcome = await Promise.race([
      stall.failed.then(
        () => 'settled',
        () => 'rejected',
      ),
      new Promise((resolve) => setTimeout(() => resolve('pending'), 200)),
    ]);
    expect(outcome).toBe('pending');
  });
});
