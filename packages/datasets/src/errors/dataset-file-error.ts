import { MlapError } from '@mlap/tensor';

/** A data file or folder is missing or cannot be read. */
export class DatasetFileError extends MlapError {
  /** The file or folder. */
  readonly file: string;

  /**
   * @param file - the file or folder
   * @param detail - why it cannot be used
   */
  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super('dataset-file', `${file}: ${detail}`, options);
    this.file = file;
  }

  /** True for a DatasetFileError from any copy of mlap. */
  static override isInstance(error: unknown): error is DatasetFileError {
    return MlapError.hasCode(error, 'dataset-file');
  }
}
