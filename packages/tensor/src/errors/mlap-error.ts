const marker = Symbol.for('mlap.error');

/**
 * Base of every error mlap throws. `code` is stable across versions; use
 * {@link MlapError.isInstance} (not `instanceof`) to recognise errors thrown by another bundled
 * copy of mlap.
 */
export class MlapError extends Error {
  /**
   * Marks mlap errors across bundled copies, where `instanceof` fails.
   * @internal
   */
  readonly [marker] = true;
  /** Stable machine-readable error kind, e.g. `"shape"` or `"non-finite"`. */
  readonly code: string;

  /**
   * @param code - stable error kind
   * @param message - what went wrong, naming the sample, field or file
   * @param options - optional `cause`
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  /** True for any mlap error, from any copy of the package. */
  static isInstance(error: unknown): error is MlapError {
    return typeof error === 'object' && error !== null && marker in error;
  }

  /** True when `error` is an mlap error with this `code`. */
  protected static hasCode(error: unknown, code: string): boolean {
    return MlapError.isInstance(error) && error.code === code;
  }
}
