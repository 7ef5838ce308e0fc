import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared` next to the repository (present on developer machines and in CI). */
export const sharedDir = fileURLToPath(new URL('../../../../shared/', import.meta.url));

/** True when `../shared` exists; tests on its real files skip otherwise. */
export const hasShared = existsSync(sharedDir);

if (!hasShared) {
  console.warn(
    `[@mlap/datasets] ../shared not found at ${sharedDir}: tests on real files are skipped`,
  );
}

/** A fixture file of this package's tests. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}
