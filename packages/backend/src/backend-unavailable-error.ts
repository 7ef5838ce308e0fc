import { MlapError } from '@mlap/tensor';
import type { BackendAttempt } from './setup.js';

/** No requested backend could be loaded; `attempts` says why each one failed. */
export class BackendUnavailableError extends MlapError {
  /** Every backend tried, with the reason it failed. */
  readonly attempts: readonly BackendAttempt[];

  /**
   * @param message - what was asked for and what to do about it
   * @param attempts - every backend tried, with the reason it failed
   */
  constructor(message: string, attempts: readonly BackendAttempt[]) {
    super('backend-unavailable', message);
    this.attempts = attempts;
  }

  /** True for a BackendUnavailableError from any copy of mlap. */
  static override isInstance(error: unknown): error is BackendUnavailableError {
    return MlapError.isInstance(error) && error.code === 'backend-unavailable';
  }
}
