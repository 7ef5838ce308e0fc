/**
 * Browsers run tfjs-backend-wasm's own threaded build (on cross-origin isolated pages), so the
 * Node loader is never bundled; asking for it in a browser is a programming error.
 */
export async function registerThreadedWasm(_threads: number): Promise<void> {
  throw new Error('registerThreadedWasm is for Node; browsers use setThreadsCount');
}
