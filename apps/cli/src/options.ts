import { type BackendRequest, backendRequests } from '@mlap/backend';
import { InvalidArgumentError, Option } from 'commander';

/** Where commands print: stdout lines (tests capture them). */
export interface Output {
  /** Prints one line. */
  readonly log: (line: string) => void;
}

/** Options every computing command takes. */
export interface CommonOptions {
  readonly backend: BackendRequest;
}

/** `--backend`, parsed and validated, defaulting to `auto`. */
export function backendOption(): Option {
  return new Option('--backend <name>', 'tfjs backend to run on')
    .choices(backendRequests)
    .default('auto');
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
