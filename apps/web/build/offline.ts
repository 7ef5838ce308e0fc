import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

/** The service worker's file name in the built site (registered by `src/main.ts`). */
export const serviceWorkerFile = 'sw.js';

const template = new URL('./service-worker.js', import.meta.url);

/** Every file under `dir`, as sorted URL paths relative to it. */
function filesUnder(dir: string): string[] {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** The template with each placeholder replaced; a missing one is a bug in the template. */
function fill(source: string, values: Readonly<Record<string, string>>): string {
  let out = source;
  for (const [placeholder, value] of Object.entries(values)) {
    if (!out.includes(placeholder)) throw new Error(`service-worker.js: no ${placeholder}`);
    out = out.replace(placeholder, () => value);
  }
  return out;
}

/**
 * Writes `sw.js` into the build output: the service worker of `build/service-worker.js` with its
 * precache list (every file of the build — page, scripts, wasm, models, images — plus `./`, the
 * page's own URL) and a version hashed from those files' contents, so each build that changes
 * anything gets a new cache and the old one is deleted on activation. Build only: the dev server
 * has no service worker (it would serve stale modules).
 */
export function offlineServiceWorker(): Plugin {
  let outDir = '';
  return {
    name: 'mlap:offline-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const files = filesUnder(outDir).filter((file) => file !== serviceWorkerFile);
      const hash = createHash('sha256');
      for (const file of files) hash.update(file).update(readFileSync(join(outDir, file)));
      const source = fill(readFileSync(template, 'utf8'), {
        "'__MLAP_VERSION__'": JSON.stringify(hash.digest('hex').slice(0, 16)),
        '/* __MLAP_PRECACHE__ */ []': JSON.stringify(['./', ...files]),
      });
      writeFileSync(join(outDir, serviceWorkerFile), source);
    },
  };
}
