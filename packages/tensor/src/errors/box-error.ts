import type { Box } from '../box.js';
import { MlapError } from './mlap-error.js';

/** A box is malformed, or a value lies outside the box [lo, hi] it must stay in. */
export class BoxError extends MlapError {
  /** The name of the offending argument. */
  readonly argument: string;
  /** The box that was violated or is malformed. */
  readonly box: Box;
  /** Index of the first offending sample, when a value is out of the box. */
  readonly sample: number | undefined;
  /** Position of the first offending value inside that sample. */
  readonly position: readonly number[] | undefined;

  /**
   * @param argument - name of the offending argument
   * @param box - the box
   * @param detail - what exactly is wrong
   * @param where - first offending sample and position, when a value is out of the box
   */
  constructor(
    argument: string,
    box: Box,
    detail: string,
    where?: { sample: number; position: readonly number[] },
  ) {
    super('box', `${argument}: ${detail} (box [${box.lo}, ${box.hi}])`);
    this.argument = argument;
    this.box = box;
    this.sample = where?.sample;
    this.position = where?.position;
  }

  /** True for a BoxError from any copy of mlap. */
  static override isInstance(error: unknown): error is BoxError {
    return MlapError.hasCode(error, 'box');
  }
}
