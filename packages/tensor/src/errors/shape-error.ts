import { MlapError } from './mlap-error.js';

/** A tensor's rank or shape does not match what the operation needs. */
export class ShapeError extends MlapError {
  /** The name of the offending argument, e.g. `"inputs"`. */
  readonly argument: string;
  /** The shape that was given. */
  readonly actual: readonly number[];
  /** The expected shape; `null` marks a free dimension. */
  readonly expected: readonly (number | null)[] | undefined;

  /**
   * @param argument - name of the offending argument
   * @param actual - the shape that was given
   * @param expected - the expected shape, if one is known
   * @param detail - what exactly is wrong
   */
  constructor(
    argument: string,
    actual: readonly number[],
    expected: readonly (number | null)[] | undefined,
    detail: string,
  ) {
    super('shape', `${argument}: ${detail} (got shape [${actual.join(', ')}])`);
    this.argument = argument;
    this.actual = actual;
    this.expected = expected;
  }

  /** True for a ShapeError from any copy of mlap. */
  static override isInstance(error: unknown): error is ShapeError {
    return MlapError.hasCode(error, 'shape');
  }
}
