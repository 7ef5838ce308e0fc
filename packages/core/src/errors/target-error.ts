import { MlapError } from '@mlap/tensor';

/** A target label vector is malformed: wrong length, or a value outside {0, 1, null}. */
export class TargetError extends MlapError {
  /** The sample whose target is wrong. */
  readonly sample: number;
  /** The label position, when one value is wrong. */
  readonly label: number | undefined;

  /**
   * @param sample - the sample whose target is wrong
   * @param detail - what is wrong
   * @param label - the offending label position, if any
   */
  constructor(sample: number, detail: string, label?: number) {
    super(
      'target',
      `target of sample ${sample}${label === undefined ? '' : `, label ${label}`}: ${detail}`,
    );
    this.sample = sample;
    this.label = label;
  }

  /** True for a TargetError from any copy of mlap. */
  static override isInstance(error: unknown): error is TargetError {
    return MlapError.isInstance(error) && error.code === 'target';
  }
}
