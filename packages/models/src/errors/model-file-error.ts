import { MlapError } from '@mlap/tensor';

/** A model file is missing, unreadable or malformed (model.json, weight shards, label list). */
export class ModelFileError extends MlapError {
  /** The file. */
  readonly file: string;

  /**
   * @param file - the file
   * @param detail - what is wrong
   */
  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super('model-file', `${file}: ${detail}`, options);
    this.file = file;
  }

  /** True for a ModelFileError from any copy of mlap. */
  static override isInstance(error: unknown): error is ModelFileError {
    return MlapError.hasCode(error, 'model-file');
  }
}
