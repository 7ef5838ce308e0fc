import { Worker } from 'node:worker_threads';
import { simdExports } from './simd-exports.js';

/**
 * Helper threads for mlap's SIMD kernels in Node: each runs its own instance of the module on
 * tfjs's shared heap and claims work (tiles, images) alongside the calling thread. Calls are
 * synchronous (tfjs kernels are), so the caller waits on an `Atomics` counter; a job never
 * reaches a helper through a message.
 */
export interface SimdPool {
  /** Helper threads (the caller computes too). */
  readonly helpers: number;
  /**
   * Runs, on helper i, export `simdExports[jobs[i][0]]` with arguments `jobs[i].slice(1)` (one
   * job per helper) while `own()` runs here; returns own's result, then each helper's.
   */
  run(own: () => number, jobs: readonly (readonly number[])[]): number[];
  /** Ends the helper threads (they exit at once; the pool must not run again). */
  stop(): void;
}

/** Int32 slots of one helper's job: the export's index, up to 19 arguments, its result. */
const SLOTS = 21;
/** Control words: [0] job generation (−1: stop), [1] helpers still computing. */
const HEADER = 2;
/** How long a helper may go silent before the job is declared lost (it never should). */
const STALL_MS = 120_000;

// CommonJS on purpose: an eval'd worker is a script, and must not inherit the parent's loader.
const helperSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, index } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const functions = ${JSON.stringify(simdExports)}.map((name) => instance.exports[name]);
const words = new Int32Array(control);
const base = ${HEADER} + index * ${SLOTS};
parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  Atomics.wait(words, 0, seen);
  seen = Atomics.load(words, 0);
  if (seen < 0) break;
  let result = 2;
  try {
    result = functions[words[base]](...words.subarray(base + 1, base + ${SLOTS - 1}));
  } catch {}
  words[base + ${SLOTS - 1}] = result;
  if (Atomics.sub(words, 1, 1) === 1) Atomics.notify(words, 1);
}
`;

/** Starts `helpers` threads on `memory` (shared); resolves once every one is ready. */
export async function startSimdPool(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  helpers: number,
): Promise<SimdPool | undefined> {
  if (helpers < 1) return undefined;
  const control = new SharedArrayBuffer((HEADER + helpers * SLOTS) * 4);
  const words = new Int32Array(control);
  const workers = Array.from(
    { length: helpers },
    (_, index) =>
      new Worker(helperSource, {
        eval: true,
        execArgv: [],
        workerData: { module, memory, control, index },
      }),
  );
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
        }),
    ),
  );
  // Idle helpers wait on an Atomics word: they must not keep Node alive.
  for (const worker of workers) worker.unref();
  return {
    helpers,
    run(own, jobs) {
      // Every helper wakes on a new generation and counts itself done: one job each.
      if (jobs.length !== helpers)
        throw new Error(`mlap SIMD pool: ${jobs.length} jobs for ${helpers} helpers`);
      jobs.forEach((job, i) => {
        words.set(job, HEADER + i * SLOTS);
      });
      Atomics.store(words, 1, jobs.length);
      Atomics.add(words, 0, 1);
      Atomics.notify(words, 0);
      const first = own();
      const started = Date.now();
      for (let pending = Atomics.load(words, 1); pending !== 0; pending = Atomics.load(words, 1)) {
        Atomics.wait(words, 1, pending, 1000);
        if (Date.now() - started > STALL_MS)
          throw new Error('mlap SIMD kernels: a helper thread stopped responding');
      }
      return [first, ...jobs.map((_, i) => words[HEADER + i * SLOTS + SLOTS - 1] ?? 2)];
    },
    stop() {
      Atomics.store(words, 0, -1);
      Atomics.notify(words, 0);
    },
  };
}
