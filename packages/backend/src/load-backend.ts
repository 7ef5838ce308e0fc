import * as tf from '@tensorflow/tfjs-core';
import type { ConcreteBackend } from './backend-name.js';
import type { Platform } from './platform.js';

/** The most threads the wasm backend uses: tfjs-backend-wasm pre-creates 8 pthread workers. */
export const MAX_WASM_THREADS = 8;

/** Options for loading the wasm backend. */
export interface WasmOptions {
  /** Where the `.wasm` binaries are served from (browser bundles); Node finds them itself. */
  readonly wasmPaths?: string;
  /**
   * Threads for the wasm backend (default 1 in Node; tfjs's choice in a browser). In a browser
   * they need a cross-origin isolated page; in Node mlap starts tfjs's threaded build itself.
   * Results are bit-identical for every thread count.
   */
  readonly wasmThreads?: number;
}

/**
 * Optional native packages are imported through a variable, so neither TypeScript nor a bundler
 * insists on their presence: they are only ever loaded at run time, when installed.
 */
async function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

/** Imports the package of a backend (registering it with tfjs) and returns its tfjs name. */
async function importBackend(
  backend: ConcreteBackend,
  platform: Platform,
  options: WasmOptions,
): Promise<string> {
  switch (backend) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return 'cpu';
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
      if (platform === 'node' && (options.wasmThreads ?? 1) > 1) {
        const { registerThreadedWasm } = await import('#wasm-threads');
        await registerThreadedWasm(options.wasmThreads ?? 1);
      } else if (options.wasmThreads !== undefined) wasm.setThreadsCount(options.wasmThreads);
      return 'wasm';
    }
    case 'webgl':
      if (platform !== 'browser') throw new Error('WebGL exists only in a browser');
      await import('@tensorflow/tfjs-backend-webgl');
      return 'webgl';
    case 'tensorflow':
      await importOptional('@tensorflow/tfjs-node');
      return 'tensorflow';
    case 'cuda':
      await importOptional('@tensorflow/tfjs-node-gpu');
      return 'tensorflow';
  }
}

const nativePackages: Partial<Record<ConcreteBackend, string>> = {
  tensorflow: '@tensorflow/tfjs-node',
  cuda: '@tensorflow/tfjs-node-gpu',
};

/** Turns an import failure into the one line a user needs. */
function reason(backend: ConcreteBackend, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const pkg = nativePackages[backend];
  if (pkg !== undefined && /Cannot find (package|module)/.test(text))
    return `${pkg} is not installed`;
  if (pkg !== undefined && text.includes('tfjs_binding.node')) {
    return `${pkg} is installed but its native library is missing (its install script, which downloads libtensorflow, did not run)`;
  }
  return text.split('\n')[0] ?? text;
}

/**
 * Loads `backend`, makes it the active tfjs backend and runs one op on it to prove it works.
 * Returns the tfjs backend name, or throws an Error whose message says why it cannot run here.
 */
export async function activateBackend(
  backend: ConcreteBackend,
  platform: Platform,
  options: WasmOptions = {},
): Promise<string> {
  let name: string;
  try {
    name = await importBackend(backend, platform, options);
  } catch (error) {
    throw new Error(reason(backend, error));
  }
  if (!(await tf.setBackend(name)))
    throw new Error(`tfjs could not initialise the ${name} backend`);
  await tf.ready();
  const probe = tf.tidy(() => tf.sum(tf.add(tf.ones([2]), 1)));
  const value = (await probe.data())[0];
  probe.dispose();
  if (value !== 4) throw new Error(`the ${name} backend computed 1+1+1+1 = ${value}`);
  return name;
}

/** The thread count of the running wasm backend (tfjs reports it once the backend started). */
export async function wasmThreadCount(): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  return wasm.getThreadsCount();
}
