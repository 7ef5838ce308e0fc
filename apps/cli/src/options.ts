import { availableParallelism } from 'node:os';
import {
  type BackendRequest,
  backendRequests,
  MAX_WASM_THREADS,
  type SetupOptions,
} from '@mlap/backend';
import { type Command, InvalidArgumentError, Option } from 'commander';

/** Where commands print: stdout lines (tests capture them). */
export interface Output {
  /** Prints one line. */
  readonly log: (line: string) => void;
}

/** Options every computing command takes. */
export interface CommonOptions {
  readonly backend: BackendRequest;
  readonly threads: number;
  /** False with `--no-winograd`. */
  readonly winograd?: boolean;
}

/** `--backend`, parsed and validated, defaulting to `auto`. */
function backendOption(): Option {
  return new Option('--backend <name>', 'tfjs backend to run on')
    .choices(backendRequests)
    .default('auto');
}

/**
 * `--threads`: the wasm backend's threads, all cores (up to 8) unless given or set by
 * MLAP_THREADS. Results are bit-identical for every count, so it is a speed setting only.
 */
function threadsOption(): Option {
  return new Option('--threads <n>', 'threads for the wasm backend (same results on any count)')
    .env('MLAP_THREADS')
    .argParser(integerOption('--threads', 1, MAX_WASM_THREADS))
    .default(Math.min(availableParallelism(), MAX_WASM_THREADS), 'all cores, up to 8');
}

/**
 * `--no-winograd`: 3×3 convolutions on wasm stay XNNPACK's instead of mlap's faster Winograd
 * kernel (results then match runs made before it, to the bit).
 */
function winogradOption(): Option {
  return new Option(
    '--no-winograd',
    "wasm: keep XNNPACK's 3×3 convolutions (slower; last-bit differences only)",
  );
}

/**
 * Adds the options every computing command takes (`--backend`, `--threads`, `--no-winograd`,
 * parsed into {@link CommonOptions}) and returns the command.
 */
export function withBackendOptions(command: Command): Command {
  return command.addOption(backendOption()).addOption(threadsOption()).addOption(winogradOption());
}

/** What `setupBackend` needs from the common options; tfjs warnings stay quiet. */
export function backendSetup(o: CommonOptions): SetupOptions {
  return { backend: o.backend, wasmThreads: o.threads, quiet: true, winograd: o.winograd };
}

/** A commander parser for an integer option within [min, max]. */
export function integerOption(flag: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `${flag} takes an integer from ${min} to ${max}; got "${value}"`,
      );
    }
    return n;
  };
}
