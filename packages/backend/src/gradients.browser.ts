/**
 * Registers every tfjs gradient function in a browser bundle. Bundlers resolve tfjs-core's
 * extension-less ESM, so the small module is enough (no full `@tensorflow/tfjs` in the bundle).
 */
export async function loadGradients(): Promise<void> {
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
}
