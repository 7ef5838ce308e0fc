/** Where mlap runs: decides which backends exist and how `auto` chooses. */
export type Platform = 'node' | 'browser';

/** The platform of this process: a browser (or web worker) when there is no Node `process`. */
export function detectPlatform(): Platform {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return proc?.versions?.node === undefined ? 'browser' : 'node';
}
