import { MlapError } from './mlap-error.js';

/** An option or scalar argument is out of its allowed range or of the wrong kind. */
export class ArgumentError extends MlapError {
  /** The name of the offending argument or option. */
  readonly argument: string;

  /**
   * @param argument - name of the offending argument or option
   * @param detail - what is wrong and what is allowed
   */
  constructor(argument: string, detail: string) {
    super('argument', `${argument}: ${detail}`);
    this.argument = argument;
  }

  /** True for an ArgumentError from any copy of mlap. */
  static override isInstance(error: unknown): error is ArgumentError {
    return MlapError.hasCode(error, 'argument');
  }
}
