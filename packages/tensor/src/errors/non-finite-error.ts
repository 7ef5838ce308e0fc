import { MlapError } from './mlap-error.js';

/** A tensor holds NaN or ±Infinity where finite values are required. */
export class NonFiniteError extends MlapError {
  /** The name of the offending argument. */
  readonly argument: string;
  /** Index of the first offending sample (batch row). */
  readonly sample: number;
  /** Position of the first offending value inside that sample. */
  readonly position: readonly number[];
  /** The offending value (NaN, Infinity or -Infinity). */
  readonly value: number;

  /**
   * @param argument - name of the offending argument
   * @param sample - index of the first offending sample
   * @param position - index of the value inside the sample
   * @param value - the offending value
   * @param count - how many values are non-finite in all
   */
  constructor(
    argument: string,
    sample: number,
    position: readonly number[],
    value: number,
    count: number,
  ) {
    super(
      'non-finite',
      `${argument}: sample ${sample} holds ${value} at [${position.join(', ')}]` +
        (count > 1 ? ` (${count} non-finite values in all)` : ''),
    );
    this.argument = argument;
    this.sample = sample;
    this.position = position;
    this.value = value;
  }

  /** True for a NonFiniteError from any copy of mlap. */
  static override isInstance(error: unknown): error is NonFiniteError {
    return MlapError.hasCode(error, 'non-finite');
  }
}
