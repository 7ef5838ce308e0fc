/**
 * Registers every tfjs gradient function in Node.
 *
 * tfjs-core's own `register_all_gradients` module is ESM with extension-less imports, which Node
 * cannot load; the `@tensorflow/tfjs` bundle carries the same registrations in a form Node loads.
 * The gradient registry is a process-global, so registering through this bundle serves every copy
 * of tfjs-core in the process.
 */
export async function loadGradients(): Promise<void> {
  await import('@tensorflow/tfjs');
}
