import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { MAX_WASM_THREADS } from './load-backend.js';

/**
 * tfjs-backend-wasm 4.22 never starts its threaded build in Node (its feature flag answers
 * "no threads" whenever it sees Node, tfjs issue 3830), although Node has worker threads and
 * shared memory. This module starts the same threaded build itself, with three adjustments that
 * only use Emscripten's documented module options:
 * - the pthread worker script and the main script are real files (tfjs passes Blob URLs, which
 *   Node's `Worker` and `importScripts` cannot load);
 * - `instantiateWasm` reports 2 × the wanted threads as logical cores, because tfjs caps its
 *   XNNPACK pool at half the logical cores (it assumes hyper-threading), which is 1 on 2 cores;
 * - the workers are unref'd, so an idle thread pool does not keep Node alive at exit, and start
 *   without the parent's Node flags.
 * Results are bit-identical to one thread (each output element is summed by one thread, in the
 * same order; `wasm-threads.test.ts` checks it).
 */

const WASM_PRIORITY = 2;
/** pthread workers Emscripten starts with the build (its fixed PTHREAD_POOL_SIZE). */
const PTHREAD_POOL = 8;
/**
 * How long the build may take to start (≈ 0.3 s on a quiet machine; each of its pthread workers
 * must load) before the start is reported as failed instead of hanging the caller.
 */
const START_TIMEOUT_MS = 60_000;

interface EmscriptenWorker {
  unref(): void;
  /** Set once the worker has instantiated the module (its "loaded" message). */
  loaded?: boolean;
}
interface ThreadedModule {
  cwrap(name: string, returns: string | null, args: string[]): (...a: number[]) => number;
  PThread: { runningWorkers: EmscriptenWorker[]; unusedWorkers: EmscriptenWorker[] };
  tfjs?: unknown;
  /** The heap, which this build imports (Emscripten's own name for it). */
  wasmMemory?: unknown;
}
type ImportObject = { env: Record<string, unknown> };
type Receive = (instance: WebAssembly.Instance, module: WebAssembly.Module) => void;
type Factory = (config: Record<string, unknown>) => Promise<ThreadedModule>;

const require = createRequire(import.meta.url);

/** A worker thread started without the parent's Node flags. */
class FlaglessWorker extends Worker {
  constructor(file: string | URL, options: WorkerOptions = {}) {
    super(file, { ...options, execArgv: [] });
  }
}

/** The folder holding tfjs-backend-wasm's Emscripten outputs. */
function wasmOutDir(): string {
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return join(dirname(main), '..', 'wasm-out');
}

/**
 * Writes the pthread worker script once per content (tfjs ships it as a JS string) and returns
 * its path. Written under a temporary name and renamed, so concurrent processes never read half a
 * file.
 */
function workerScript(out: string): string {
  const { wasmWorkerContents } = require(
    join(out, 'tfjs-backend-wasm-threaded-simd.worker.js'),
  ) as {
    wasmWorkerContents: string;
  };
  // tfjs escapes newlines the same way before making its Blob: the script has string literals
  // holding "\n" that the template literal turned into real line breaks.
  const text = wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const file = join(tmpdir(), `mlap-tfjs-wasm-worker-${hash}.cjs`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  }
  return file;
}

/** Starts the threaded SIMD build with `threads` XNNPACK threads. */
async function startThreadedModule(threads: number): Promise<ThreadedModule> {
  const out = wasmOutDir();
  const main = join(out, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(main) as Factory;
  const worker = workerScript(out);
  let memory: unknown;
  const previousWorker = (globalThis as { Worker?: unknown }).Worker;
  // Emscripten never settles its promise when a custom instantiateWasm fails: race the failure.
  let failInstantiation: (error: unknown) => void = () => {};
  const instantiationFailed = new Promise<never>((_, reject) => {
    failInstantiation = reject;
  });
  const config = {
    locateFile: (path: string) => {
      if (!path.endsWith('.worker.js')) return join(out, path);
      // Emscripten calls `new Worker(file)` right after asking for the file. A Node worker
      // inherits the parent's flags (`-e`, `--input-type`, loaders), which a pthread script
      // does not want and some of which make it fail.
      (globalThis as { Worker?: unknown }).Worker = FlaglessWorker;
      return worker;
    },
    mainScriptUrlOrBlob: main,
    instantiateWasm: (imports: ImportObject, receive: Receive) => {
      imports.env.emscripten_num_logical_cores = () => 2 * threads;
      // The build imports its memory; kept where mlap's Winograd module can import it too.
      memory = imports.env.memory;
      const bytes = readFileSync(join(out, 'tfjs-backend-wasm-threaded-simd.wasm'));
      WebAssembly.instantiate(bytes, imports as WebAssembly.Imports).then(
        (r) => receive(r.instance, r.module),
        failInstantiation,
      );
      return {};
    },
  };
  const starting = factory(config);
  // Emscripten settles its promise once every pthread worker has loaded; a worker that never
  // reports would leave the caller waiting forever.
  const stall = stallTimer(() => (config as { PThread?: ThreadedModule['PThread'] }).PThread);
  const module = await Promise.race([starting, instantiationFailed, stall.failed]).finally(() => {
    stall.cancel();
    (globalThis as { Worker?: unknown }).Worker = previousWorker;
  });
  // The same handles tfjs's own init() attaches (backend_wasm.js, tfjs 4.22).
  module.wasmMemory = memory;
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/**
 * A promise that fails after `ms` (unless cancelled), saying how many of the build's pthread
 * workers had loaded by then. Exported for tests.
 */
export function stallTimer(
  pthreads: () => Pick<ThreadedModule['PThread'], 'unusedWorkers'> | undefined,
  ms = START_TIMEOUT_MS,
) {
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const loaded = pthreads()?.unusedWorkers.filter((w) => w.loaded).length ?? 0;
      const seconds = ms / 1000;
      reject(
        new Error(
          `tfjs's threaded wasm build did not start within ${seconds} s ` +
            `(${loaded} of its ${PTHREAD_POOL} pthread workers loaded)`,
        ),
      );
    }, ms);
    timer.unref();
  });
  return { failed, cancel: () => clearTimeout(timer) };
}

/** Lets Node exit while the XNNPACK pool's threads wait for work. */
function unrefWorkers(module: ThreadedModule): void {
  for (const worker of [...module.PThread.runningWorkers, ...module.PThread.unusedWorkers]) {
    worker.unref();
  }
}

/**
 * Makes tfjs's `wasm` backend the threaded build with `threads` threads (Node only), replacing
 * the registration tfjs-backend-wasm made; the next `tf.setBackend('wasm')` starts it. A wasm
 * backend that already runs keeps its thread count: restarting it would dispose every tensor it
 * holds, and the thread count never changes results (`BackendInfo.threads` tells what runs).
 */
export async function registerThreadedWasm(threads: number): Promise<void> {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new RangeError(
      `wasm threads must be an integer from 1 to ${MAX_WASM_THREADS}, got ${threads}`,
    );
  }
  if (tf.engine().registry.wasm !== undefined) return;
  if (tf.engine().registryFactory.wasm !== undefined) tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const module = await startThreadedModule(threads);
      wasmBackend.setThreadsCount(threads);
      const backend = new wasmBackend.BackendWasm(module as never);
      unrefWorkers(module);
      return backend;
    },
    WASM_PRIORITY,
  );
}
