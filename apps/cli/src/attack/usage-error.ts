import { MlapError } from '@mlap/tensor';

/** A command line that cannot run as given: exit code 2, one line, no stack. */
export class UsageError extends MlapError {
  /**
   * @param detail - what is wrong
   * @param hint - what to do instead
   */
  constructor(detail: string, hint?: string) {
    super('usage', hint === undefined ? detail : `${detail} (${hint})`);
  }
}

/** Error codes that mean the user asked for something that cannot be: exit 2, not 1. */
export const usageCodes: ReadonlySet<string> = new Set([
  'usage',
  'argument',
  'target',
  'unknown-label',
  'model-file',
  'dataset-file',
  'dataset-format',
  'dataset-label',
  'image-decode',
  'backend-unavailable',
]);
