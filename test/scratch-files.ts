/**
 * Temporary folders and FIFOs for the tests of hostile file inputs (datasets, CLI), and their
 * clean-up: call {@link removeScratch} after each test. A FIFO left with a reader blocked on it
 * (were a size or type check missing) is unblocked by opening its other end.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
const fifos: string[] = [];

/** A new empty folder under the system's temporary folder, removed by {@link removeScratch}. */
export async function scratchDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Makes a FIFO at `path` (`mkfifo` is not in Node's fs); false where the command is missing. */
export function makeFifo(path: string): boolean {
  const ok = spawnSync('mkfifo', [path]).status === 0;
  if (ok) fifos.push(path);
  return ok;
}

/** Whether FIFOs can be made here; FIFO cases are skipped otherwise. */
export const hasMkfifo = (() => {
  const probe = join(tmpdir(), `mlap-fifo-probe-${process.pid}`);
  const ok = spawnSync('mkfifo', [probe]).status === 0;
  if (ok) spawnSync('rm', ['-f', probe]);
  return ok;
})();

/** Unblocks the FIFOs and removes the folders made since the last call. */
export async function removeScratch(): Promise<void> {
  for (const fifo of fifos.splice(0)) {
    try {
      closeSync(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
    } catch {
      // already removed
    }
  }
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
