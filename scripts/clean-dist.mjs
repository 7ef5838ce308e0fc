#!/usr/bin/env node
// Empties the current package's dist/ before `tsc` compiles into it (the first step of every
// publishable package's `build` script): tsc never deletes output whose source was removed or
// renamed, and such stale files would otherwise end up in the published tarball.
// Usage: node ../../scripts/clean-dist.mjs
import { rmSync } from 'node:fs';
import { join } from 'node:path';

rmSync(join(process.cwd(), 'dist'), { recursive: true, force: true });
