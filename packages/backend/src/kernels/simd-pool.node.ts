import { Worker } from 'node:worker_threads';
import { simdExports } from './simd-exports.js';

/**
 * Helper threads for mlap's SIMD kernels in Node: each runs its own instance of the module on
 * tfjs's shared heap and claims work (tiles, images) alongside the calling thread. Calls are
 * synchronous (tfjs kernels are), so the caller waits on an `Atomics` word; a job never
 * reaches a helper through a message.
 *
 * The kernels share their work through a counter the threads claim from, so the caller alone
 * would finish every job. A helper therefore only helps if it starts in time: a helper that
 * has not taken its job by the time the caller is done with its own share (descheduled on a
 * busy machine, or gone) is skipped, never waited for.
 */
export interface SimdPool {
  /** Helper threads (the caller computes too). */
  readonly helpers: number;
  /** Jobs helpers have run to the end since the pool started (skipped ones not counted). */
  readonly helperRuns: number;
  /**
   * Offers export `simdExports[jobs[i][0]]` with arguments `jobs[i].slice(1)` to helper i (one
   * job per helper) while `own()` runs here; returns own's result, then each helper's (0 for a
   * helper that was skipped: it did none of the work).
   */
  run(own: () => number, jobs: readonly (readonly number[])[]): number[];
  /**
   * Ends the helper threads; resolves once they have exited. Later runs compute on the caller
   * alone.
   */
  stop(): Promise<void>;
}

/** A helper slot's state word: a job waits, runs, is done, or was withdrawn by the caller. */
const OPEN = 0;
const RUNNING = 1;
const DONE = 2;
const WITHDRAWN = 3;
/** Int32 slots of one helper's job: its state, the export's index, up to 19 arguments, its result. */
const SLOTS = 22;
/** Control words: [0] job generation (−1: stop), [1] jobs helpers ran to the end. */
const HEADER = 2;
/** How long a helper that took a job may compute before it is declared lost (it never should). */
const STALL_MS = 120_000;

// CommonJS on purpose: an eval'd worker is a script, and must not inherit the parent's loader.
// A helper takes whatever job its slot holds open when it wakes: the caller writes a job's
// arguments before opening it, and never touches a slot while its helper runs.
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
  if (Atomics.compareExchange(words, base, ${OPEN}, ${RUNNING}) !== ${OPEN}) continue;
  let result = 2;
  try {
    result = functions[words[base + 1]](...words.subarray(base + 2, base + ${SLOTS - 1}));
  } catch {}
  words[base + ${SLOTS - 1}] = result;
  Atomics.add(words, 1, 1);
  Atomics.store(words, base, ${DONE});
  Atomics.notify(words, base);
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
  // No job is open until the first run.
  for (let i = 0; i < helpers; i++) words[HEADER + i * SLOTS] = WITHDRAWN;
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
  let stopped: Promise<void> | undefined;
  return {
    helpers,
    get helperRuns() {
      return Atomics.load(words, 1);
    },
    run(own, jobs) {
      if (jobs.length > helpers)
        throw new Error(`mlap SIMD pool: ${jobs.length} jobs for ${helpers} helpers`);
      jobs.forEach((job, i) => {
        const base = HEADER + i * SLOTS;
        words.set(job, base + 1);
        Atomics.store(words, base, OPEN);
      });
      Atomics.add(words, 0, 1);
      Atomics.notify(words, 0);
      const first = own();
      return [first, ...jobs.map((_, i) => finish(words, HEADER + i * SLOTS))];
    },
    stop() {
      stopped ??= Promise.all(
        workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))),
      ).then(() => undefined);
      Atomics.store(words, 0, -1);
      Atomics.notify(words, 0);
      return stopped;
    },
  };
}

/** Withdraws a job its helper has not taken (result 0), or waits for the helper to finish it. */
function finish(words: Int32Array, base: number): number {
  if (Atomics.compareExchange(words, base, OPEN, WITHDRAWN) === OPEN) return 0;
  const started = Date.now();
  while (Atomics.load(words, base) === RUNNING) {
    Atomics.wait(words, base, RUNNING, 1000);
    if (Date.now() - started > STALL_MS)
      throw new Error('mlap SIMD kernels: a helper thread stopped responding');
  }
  return words[base + SLOTS - 1] ?? 2;
}
