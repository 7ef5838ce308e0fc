import { MlapError } from '@mlap/tensor';

/** A label was named that the model does not have. */
export class UnknownLabelError extends MlapError {
  /** The label as given. */
  readonly label: string | number;

  /**
   * @param label - the label as given
   * @param known - the model's label names, for the message
   */
  constructor(label: string | number, known: readonly string[] | undefined, numLabels: number) {
    const hint =
      known === undefined
        ? `the model has ${numLabels} unnamed labels (use an index from 0 to ${numLabels - 1})`
        : `known labels: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`;
    super('unknown-label', `unknown label "${label}"; ${hint}`);
    this.label = label;
  }

  /** True for an UnknownLabelError from any copy of mlap. */
  static override isInstance(error: unknown): error is UnknownLabelError {
    return MlapError.isInstance(error) && error.code === 'unknown-label';
  }
}
