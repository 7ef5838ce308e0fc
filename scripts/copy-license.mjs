#!/usr/bin/env node
// Copies the repository's LICENSE into the current package before `pnpm pack` / `pnpm publish`
// (the `prepack` script of every publishable package) and removes the copy afterwards
// (`postpack`), so each tarball carries the licence while the repository keeps one file.
// Usage: node ../../scripts/copy-license.mjs [--remove]
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const source = join(import.meta.dirname, '..', 'LICENSE');
const target = join(process.cwd(), 'LICENSE');
if (process.argv.includes('--remove')) rmSync(target, { force: true });
else copyFileSync(source, target);
