import * as tf from '@tensorflow/tfjs-core';
import type { BackendRequest, ConcreteBackend } from './backend-name.js';
import { BackendUnavailableError } from './backend-unavailable-error.js';
import { registerGradients } from './gradients.js';
import { registerWasmGradientKernels } from './kernels/register-wasm-gradients.js';
import { useSimdKernels } from './kernels/simd-registry.js';
import { activateBackend, type WasmOptions, wasmThreadCount } from './load-backend.js';
import { detectPlatform, type Platform } from './platform.js';
import { measureBackendSpeed } from './speed-probe.js';

/** Options of {@link setupBackend}. */
export interface SetupOptions extends WasmOptions {
  /** The backend to run on; `auto` (default) picks the fastest that loads. */
  readonly backend?: BackendRequest;
  /** Overrides platform detection (tests, or a Node process emulating a browser). */
  readonly platform?: Platform;
  /**
   * Silences tfjs's console warnings, e.g. its "install our node backend" banner on the cpu
   * backend, which {@link BackendInfo.summary} already covers (default false).
   */
  readonly quiet?: boolean;
  /**
   * Computes 3×3 stride-1 convolutions on wasm with mlap's Winograd F(4×4, 3×3) module, up to
   * ~2.4× faster than XNNPACK on layers of 32 channels or more (default true). Results differ from XNNPACK's in the last bits
   * (≈ 1e-6 relative); false keeps XNNPACK's, e.g. to compare with results made without it.
   */
  readonly winograd?: boolean;
}

/** One backend that {@link setupBackend} tried. */
export interface BackendAttempt {
  /** The backend tried. */
  readonly backend: ConcreteBackend;
  /** Whether it loaded and computed correctly. */
  readonly ok: boolean;
  /** Why it could not be used, when it failed. */
  readonly error?: string;
  /** Speed-probe time in ms, when `auto` measured it. */
  readonly ms?: number;
}

/** What {@link setupBackend} chose, and why. */
export interface BackendInfo {
  /** What was asked for. */
  readonly requested: BackendRequest;
  /** The backend now active. */
  readonly backend: ConcreteBackend;
  /** Its tfjs name (`tf.getBackend()`), e.g. `tensorflow` for `cuda`. */
  readonly tfjsName: string;
  /** The platform the choice was made for. */
  readonly platform: Platform;
  /** Every backend tried, in order. */
  readonly attempts: readonly BackendAttempt[];
  /** Threads the wasm backend computes on (wasm only). */
  readonly threads?: number;
  /** Whether 3×3 convolutions run as Winograd (wasm only; see {@link SetupOptions.winograd}). */
  readonly winograd?: boolean;
  /** One line for users: what runs and why. */
  readonly summary: string;
}

/**
 * Order `auto` tries in Node: the native bindings when installed (fastest by far), then wasm,
 * which is 10–30× faster than the pure-JS cpu backend on attack workloads (measured, see bench/).
 */
const nodePreference: readonly ConcreteBackend[] = ['cuda', 'tensorflow', 'wasm', 'cpu'];
/** Candidates `auto` measures in a browser, where a GPU may or may not be real. */
const browserCandidates: readonly ConcreteBackend[] = ['webgl', 'wasm', 'cpu'];

const installHints: Partial<Record<ConcreteBackend, string>> = {
  tensorflow: 'install @tensorflow/tfjs-node@4.22.0 (its install script downloads libtensorflow)',
  cuda: 'install @tensorflow/tfjs-node-gpu@4.22.0 on a machine with CUDA',
  webgl: 'WebGL is available in browsers only',
};

async function attempt(backend: ConcreteBackend, platform: Platform, options: WasmOptions) {
  try {
    const tfjsName = await activateBackend(backend, platform, options);
    return { attempt: { backend, ok: true } as BackendAttempt, tfjsName };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { attempt: { backend, ok: false, error: text } as BackendAttempt, tfjsName: undefined };
  }
}

function failures(attempts: readonly BackendAttempt[]): string {
  return attempts
    .filter((a) => !a.ok)
    .map((a) => `${a.backend}: ${a.error ?? 'failed'}`)
    .join('; ');
}

async function chooseInNode(options: WasmOptions, platform: Platform) {
  const attempts: BackendAttempt[] = [];
  for (const backend of nodePreference) {
    const result = await attempt(backend, platform, options);
    attempts.push(result.attempt);
    if (result.tfjsName !== undefined) {
      const skipped = attempts.filter((a) => !a.ok).map((a) => a.backend);
      const why = skipped.length > 0 ? ` (${skipped.join(', ')} not available)` : '';
      return { backend, tfjsName: result.tfjsName, attempts, why: `fastest that loads${why}` };
    }
  }
  return { attempts };
}

async function chooseByMeasuring(options: WasmOptions, platform: Platform) {
  const attempts: BackendAttempt[] = [];
  for (const backend of browserCandidates) {
    const result = await attempt(backend, platform, options);
    const ms = result.tfjsName === undefined ? undefined : await measureBackendSpeed();
    attempts.push(ms === undefined ? result.attempt : { ...result.attempt, ms });
  }
  const loaded = attempts.filter((a) => a.ok && a.ms !== undefined);
  const best = loaded.sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0))[0];
  if (best === undefined) return { attempts };
  const tfjsName = await activateBackend(best.backend, platform, options);
  const times = loaded.map((a) => `${a.backend} ${a.ms?.toFixed(1)} ms`).join(', ');
  return { backend: best.backend, tfjsName, attempts, why: `fastest measured (${times})` };
}

/**
 * Chooses, loads and activates a tfjs backend for an app, and registers every gradient function
 * (tfjs-core alone registers none). Libraries never call this: apps and tests do, once, before
 * any attack. Native backends are imported only if installed; a missing one is reported, never
 * a crash.
 *
 * @example
 * const info = await setupBackend({ backend: 'auto' });
 * console.log(info.summary); // "backend: wasm (1 thread) — auto: fastest that loads (cuda, tensorflow not available)"
 */
export async function setupBackend(options: SetupOptions = {}): Promise<BackendInfo> {
  const requested = options.backend ?? 'auto';
  // In tfjs 4.22 the PROD flag only gates console warnings (checked in tfjs-core's source).
  if (options.quiet === true) tf.env().set('PROD', true);
  const platform = options.platform ?? detectPlatform();
  let chosen: Awaited<ReturnType<typeof chooseInNode>> & { why?: string };
  if (requested !== 'auto') {
    const result = await attempt(requested, platform, options);
    chosen = { attempts: [result.attempt] };
    if (result.tfjsName !== undefined) {
      chosen = { ...chosen, backend: requested, tfjsName: result.tfjsName, why: 'as requested' };
    }
  } else {
    chosen =
      platform === 'browser'
        ? await chooseByMeasuring(options, platform)
        : await chooseInNode(options, platform);
  }
  if (chosen.backend === undefined || chosen.tfjsName === undefined) {
    const hint = requested === 'auto' ? '' : installHints[requested];
    throw new BackendUnavailableError(
      `backend "${requested}" is not available here: ${failures(chosen.attempts)}` +
        (hint ? ` — ${hint}` : ''),
      chosen.attempts,
    );
  }
  await registerGradients();
  const { backend, tfjsName, attempts } = chosen;
  const threads = tfjsName === 'wasm' ? await wasmThreadCount() : undefined;
  let winograd: boolean | undefined;
  if (tfjsName === 'wasm') {
    // The wasm backend's gradient kernels are slow or missing; mlap's replace them (idempotent).
    registerWasmGradientKernels();
    winograd = await useSimdKernels(tf.backend(), { threads, winograd: options.winograd });
  }
  const onThreads = threads === undefined ? '' : ` (${threads} thread${threads === 1 ? '' : 's'})`;
  const why = `${requested === 'auto' ? 'auto: ' : ''}${chosen.why ?? ''}`;
  const summary = `backend: ${backend}${onThreads} — ${why}`;
  const wasmFacts = { ...(threads && { threads }), ...(winograd !== undefined && { winograd }) };
  return { requested, backend, tfjsName, platform, attempts, summary, ...wasmFacts };
}
