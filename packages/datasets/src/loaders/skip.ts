import { DatasetFileError } from '../errors/dataset-file-error.js';
import { DatasetFormatError } from '../errors/dataset-format-error.js';
import { DatasetLabelError } from '../errors/dataset-label-error.js';
import { ImageDecodeError } from '../errors/image-decode-error.js';

/** A sample a loader skipped (only with the `skip` option), and why. */
export interface SkippedSample {
  /** 0-based index of the sample in its source listing (CSV data row, split file, image list, …). */
  readonly index: number;
  /** The file at fault: the data row's file, the annotation or the image. */
  readonly file: string;
  /** Why it was skipped (the message of the error it would otherwise have thrown). */
  readonly reason: string;
  /** The typed error it would otherwise have thrown. */
  readonly error: Error;
}

/** The `skip` option shared by every loader. */
export interface SkipOptions {
  /**
   * Skip bad samples instead of failing: each skipped sample is recorded in the result's `skipped`
   * list (and passed to `onSkip`). Without it (default) the first bad sample throws a typed error
   * naming the file. Problems that are not about one sample (a malformed list, a missing
   * annotation file for the whole set) always throw.
   */
  readonly skip?: boolean;
  /** Called for each skipped sample as it is skipped. */
  readonly onSkip?: (skipped: SkippedSample) => void;
}

/** True for the typed data errors a loader may skip a sample for. */
export function isSampleError(error: unknown): error is Error {
  return (
    DatasetFileError.isInstance(error) ||
    DatasetFormatError.isInstance(error) ||
    DatasetLabelError.isInstance(error) ||
    ImageDecodeError.isInstance(error)
  );
}

/** Collects skipped samples, or rethrows when skipping is off. */
export class SkipLog {
  /** Samples skipped so far, in the order they were skipped. */
  readonly skipped: SkippedSample[] = [];
  readonly #options: SkipOptions;

  constructor(options: SkipOptions = {}) {
    this.#options = options;
  }

  /** Whether bad samples are skipped. */
  get enabled(): boolean {
    return this.#options.skip === true;
  }

  /**
   * Handles the error of sample `index`: rethrows it unless skipping is on and it is a typed data
   * error, in which case the sample is recorded as skipped.
   */
  handle(index: number, file: string, error: unknown): void {
    if (!this.enabled || !isSampleError(error)) throw error;
    const fileOf = (error as { file?: unknown }).file;
    const entry: SkippedSample = {
      index,
      file: typeof fileOf === 'string' ? fileOf : file,
      reason: error.message,
      error,
    };
    this.skipped.push(entry);
    this.#options.onSkip?.(entry);
  }
}
