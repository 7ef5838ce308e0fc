import { MlapError } from './mlap-error.js';

/**
 * tfjs has no gradient function registered for a kernel an attack needs. `@tensorflow/tfjs-core`
 * alone registers none: the app must set up its runtime first.
 */
export class GradientsUnavailableError extends MlapError {
  /** Kernels found without a gradient function. */
  readonly kernels: readonly string[];

  /** @param kernels - kernels found without a gradient function */
  constructor(kernels: readonly string[]) {
    super(
      'gradients-unavailable',
      `no tfjs gradient function is registered for ${kernels.join(', ')}. ` +
        "Call setupBackend() from '@mlap/backend' (or import '@tensorflow/tfjs') before attacking; " +
        "'@tensorflow/tfjs-core' alone registers no gradients.",
    );
    this.kernels = kernels;
  }

  /** True for a GradientsUnavailableError from any copy of mlap. */
  static override isInstance(error: unknown): error is GradientsUnavailableError {
    return MlapError.hasCode(error, 'gradients-unavailable');
  }
}
