import { MlapError } from '@mlap/tensor';

/** A data file names a label that is not in the label list. */
export class DatasetLabelError extends MlapError {
  /** The file (or source name) naming the label. */
  readonly file: string;
  /** The unknown label. */
  readonly label: string;

  /**
   * @param file - the file or source name
   * @param label - the label not in the list
   * @param known - the label list, for the message
   */
  constructor(file: string, label: string, known: readonly string[]) {
    const list = known.slice(0, 20).join(', ') + (known.length > 20 ? ', …' : '');
    super('dataset-label', `${file}: label "${label}" is not in the label list (${list})`);
    this.file = file;
    this.label = label;
  }

  /** True for a DatasetLabelError from any copy of mlap. */
  static override isInstance(error: unknown): error is DatasetLabelError {
    return MlapError.hasCode(error, 'dataset-label');
  }
}
