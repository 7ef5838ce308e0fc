import { MlapError } from '@mlap/tensor';

/**
 * A data file is malformed (ARFF, XML, JSON, CSV, …). The message names the file and, when known,
 * the 1-based line.
 */
export class DatasetFormatError extends MlapError {
  /** The file (or source name) that is malformed. */
  readonly file: string;
  /** 1-based line of the first problem, when known. */
  readonly line: number | undefined;

  /**
   * @param file - the file or source name
   * @param line - 1-based line of the problem, if known
   * @param detail - what is wrong
   */
  constructor(
    file: string,
    line: number | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super('dataset-format', `${file}${line === undefined ? '' : `:${line}`}: ${detail}`, options);
    this.file = file;
    this.line = line;
  }

  /** True for a DatasetFormatError from any copy of mlap. */
  static override isInstance(error: unknown): error is DatasetFormatError {
    return MlapError.hasCode(error, 'dataset-format');
  }
}
