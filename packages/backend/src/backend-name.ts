import { ArgumentError } from '@mlap/tensor';

/**
 * A concrete tfjs backend mlap can run on. `tensorflow` and `cuda` are the native bindings
 * (`@tensorflow/tfjs-node`, `@tensorflow/tfjs-node-gpu`), used only when installed and loadable;
 * `webgl` exists only in a browser.
 */
export type ConcreteBackend = 'cpu' | 'wasm' | 'webgl' | 'tensorflow' | 'cuda';

/** What an app may ask for: a concrete backend, or `auto` (the fastest that loads). */
export type BackendRequest = 'auto' | ConcreteBackend;

/** Every accepted backend request, in the order help texts list them. */
export const backendRequests: readonly BackendRequest[] = [
  'auto',
  'cpu',
  'wasm',
  'webgl',
  'tensorflow',
  'cuda',
];

/** Parses a user-given backend name (e.g. a `--backend` flag), throwing an ArgumentError. */
export function parseBackendRequest(value: string): BackendRequest {
  const name = value.trim().toLowerCase();
  if ((backendRequests as readonly string[]).includes(name)) return name as BackendRequest;
  throw new ArgumentError(
    'backend',
    `unknown backend "${value}"; use one of ${backendRequests.join(', ')}`,
  );
}
