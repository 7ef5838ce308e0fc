import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultServerConditions } from 'vite';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * One vitest run covers every package and app on every tfjs backend: each workspace folder with a
 * `test/` directory becomes one project per backend (`@mlap/tensor:wasm`, `@mlap/tensor:cpu`, …).
 * `MLAP_BACKEND=cpu|wasm` narrows the run to one backend. The packages whose kernels threads
 * could change (backend, tensor) also run on wasm with 2 threads (`@mlap/tensor:wasm-2-threads`).
 */
const root = import.meta.dirname;
const allBackends = ['wasm', 'cpu'] as const;
const only = process.env.MLAP_BACKEND;
if (only !== undefined && !allBackends.includes(only as (typeof allBackends)[number])) {
  throw new Error(`MLAP_BACKEND must be one of ${allBackends.join(', ')}; got "${only}"`);
}
const backends = only === undefined ? allBackends : [only];

function workspaceFolders(): string[] {
  return ['packages', 'apps', '.'].flatMap((group) => {
    if (group === '.') return ['bench', 'experiments'];
    const dir = join(root, group);
    return existsSync(dir) ? readdirSync(dir).map((name) => join(group, name)) : [];
  });
}

const threadedFolders = ['packages/backend', 'packages/tensor'];

function projectsFor(folder: string): TestProjectInlineConfiguration[] {
  const dir = join(root, folder);
  if (!existsSync(join(dir, 'test'))) return [];
  const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
  const project = (label: string, env: Record<string, string>) => ({
    extends: true as const,
    test: { name: `${name}:${label}`, root: dir, include: ['test/**/*.test.ts'], env },
  });
  const projects = backends.map((backend) => project(backend, { MLAP_BACKEND: backend }));
  if (backends.includes('wasm') && threadedFolders.includes(folder)) {
    projects.push(project('wasm-2-threads', { MLAP_BACKEND: 'wasm', MLAP_WASM_THREADS: '2' }));
  }
  return projects;
}

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources, so tests need no build first.
  resolve: { conditions: ['@mlap/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@mlap/source', ...defaultServerConditions] } },
  test: {
    root,
    setupFiles: [join(root, 'test/setup.ts')],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    projects: workspaceFolders().flatMap(projectsFor),
  },
});
