import { MlapError } from '@mlap/tensor';

/** An attack was stopped through its `AbortSignal`; no partial result is returned. */
export class AttackAbortedError extends MlapError {
  /** The iteration at which the attack noticed the abort. */
  readonly iteration: number;

  /**
   * @param attack - the attack's name
   * @param iteration - the iteration at which the abort was noticed
   * @param reason - the signal's reason, if any
   */
  constructor(attack: string, iteration: number, reason?: unknown) {
    super('aborted', `${attack} aborted at iteration ${iteration}`, { cause: reason });
    this.iteration = iteration;
  }

  /** True for an AttackAbortedError from any copy of mlap. */
  static override isInstance(error: unknown): error is AttackAbortedError {
    return MlapError.isInstance(error) && error.code === 'aborted';
  }
}
