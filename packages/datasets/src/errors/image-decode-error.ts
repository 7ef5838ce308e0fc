import { MlapError } from '@mlap/tensor';

/** An image cannot be decoded (corrupt or unsupported), or has a channel count that cannot be used. */
export class ImageDecodeError extends MlapError {
  /** The image file (or source name). */
  readonly file: string;

  /**
   * @param file - the image file or source name
   * @param detail - what is wrong
   */
  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super('image-decode', `${file}: ${detail}`, options);
    this.file = file;
  }

  /** True for an ImageDecodeError from any copy of mlap. */
  static override isInstance(error: unknown): error is ImageDecodeError {
    return MlapError.hasCode(error, 'image-decode');
  }
}
