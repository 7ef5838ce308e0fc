/**
 * Runtime set-up for mlap apps and tests: chooses and registers a TensorFlow.js backend
 * (`auto | cpu | wasm | webgl | tensorflow | cuda`) and the gradient functions attacks need.
 * The mlap libraries never import this package; an app injects the backend by calling
 * {@link setupBackend} once.
 *
 * @packageDocumentation
 */
export {
  type BackendRequest,
  backendRequests,
  type ConcreteBackend,
  parseBackendRequest,
} from './backend-name.js';
export { BackendUnavailableError } from './backend-unavailable-error.js';
export { gradientsRegistered, registerGradients } from './gradients.js';
export { MAX_WASM_THREADS, type WasmOptions } from './load-backend.js';
export { detectPlatform, type Platform } from './platform.js';
export {
  type BackendAttempt,
  type BackendInfo,
  type SetupOptions,
  setupBackend,
} from './setup.js';
export { measureBackendSpeed } from './speed-probe.js';
