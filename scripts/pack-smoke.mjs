#!/usr/bin/env node
// The release dry run (`pnpm pack:smoke`, run in CI): builds the publishable packages, packs each
// with `pnpm pack` as `pnpm publish` would, checks every tarball's manifest and file list, then
// installs the tarballs in fresh projects outside the repository:
//   1. @mlap/core alone (plus tfjs-core, and tfjs for gradients and the cpu backend) attacks a
//      hand-built linear model with ML-DeepFool, checked by hand;
//   2. every package: each `exports` entry is imported, the getting-started guide's example runs
//      and prints what the guide says, and the `mlap` binary answers --help.
// Usage: node scripts/pack-smoke.mjs [--keep]  (--keep leaves the temporary folder for a look)
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTarball } from './pack-smoke/check-tarball.mjs';
import { createProject, install, runNode } from './pack-smoke/consumer-project.mjs';
import { gettingStartedExample } from './pack-smoke/guide-example.mjs';

const root = join(import.meta.dirname, '..');
const here = join(import.meta.dirname, 'pack-smoke');
/** The tfjs version the libraries peer-depend on; the consumer projects install that one. */
const TFJS_VERSION = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8'))
  .peerDependencies['@tensorflow/tfjs-core'];

/** Workspace packages that are published: every non-private one under packages/ and apps/. */
function publishablePackages() {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group))
      .map((name) => join(root, group, name))
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .map((dir) => ({
        dir,
        manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
      }))
      .filter(({ manifest }) => manifest.private !== true),
  );
}

function build(packages) {
  const filters = packages.map(({ manifest }) => `--filter=${manifest.name}`);
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', ...filters], {
    cwd: root,
    stdio: 'inherit',
  });
}

/** Packs every package into `dest`; returns package name → tarball path. */
function pack(packages, dest) {
  const tarballs = {};
  for (const { dir, manifest } of packages) {
    execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: dir, stdio: 'ignore' });
    const file = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
    tarballs[manifest.name] = join(dest, file);
  }
  return tarballs;
}

/** Unpacks and checks every tarball; throws listing every problem found. */
function checkTarballs(tarballs, work) {
  const problems = Object.entries(tarballs).flatMap(([name, file]) => {
    const dir = join(work, 'unpacked', name);
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xzf', file, '-C', dir]);
    const report = checkTarball(join(dir, 'package'));
    const kib = (readFileSync(file).byteLength / 1024).toFixed(0);
    console.log(`${name}: ${report.files.length} files, ${kib} KiB packed`);
    return report.problems.map((problem) => `${name}: ${problem}`);
  });
  if (problems.length > 0) throw new Error(`tarball problems:\n  ${problems.join('\n  ')}`);
}

/** Stage 1: a project that installs @mlap/core alone and attacks a hand-built model. */
function coreAlone(tarballs, work) {
  const dir = join(work, 'core-alone');
  createProject(
    dir,
    {
      '@mlap/core': `file:${tarballs['@mlap/core']}`,
      '@tensorflow/tfjs-core': TFJS_VERSION,
      '@tensorflow/tfjs': TFJS_VERSION,
    },
    tarballs,
  );
  install(dir);
  const mlap = readdirSync(join(dir, 'node_modules', '.pnpm')).filter((d) =>
    d.startsWith('@mlap+'),
  );
  console.log(`core-alone installed: ${mlap.map((d) => d.split('@file')[0]).join(', ')}`);
  copyFileSync(join(here, 'core-alone.mjs'), join(dir, 'core-alone.mjs'));
  runNode(dir, ['core-alone.mjs']);
}

/** Stage 2: every package installed; imports, the guide's example and the binary. */
function everyPackage(tarballs, work) {
  const dir = join(work, 'all');
  const dependencies = Object.fromEntries(
    Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]),
  );
  createProject(dir, { ...dependencies, '@tensorflow/tfjs-core': TFJS_VERSION }, tarballs);
  install(dir);
  copyFileSync(join(here, 'import-all.mjs'), join(dir, 'import-all.mjs'));
  runNode(dir, ['import-all.mjs']);
  runGuideExample(dir);
  const help = execFileSync(join(dir, 'node_modules', '.bin', 'mlap'), ['--help'], { cwd: dir });
  if (!help.toString().startsWith('Usage: mlap')) throw new Error('mlap --help printed no usage');
  console.log('mlap --help: ok');
}

/** Runs docs/getting-started.md's example (TypeScript, through tsx) and compares its output. */
function runGuideExample(dir) {
  const { code, output } = gettingStartedExample(join(root, 'docs', 'getting-started.md'));
  const file = join(dir, 'getting-started.ts');
  writeFileSync(file, code);
  const printed = execFileSync(join(root, 'node_modules', '.bin', 'tsx'), [file], { cwd: dir });
  if (printed.toString() !== output) {
    throw new Error(`getting-started example printed\n${printed}instead of\n${output}`);
  }
  console.log('docs/getting-started.md example: prints what the guide shows');
}

const work = mkdtempSync(join(tmpdir(), 'mlap-pack-smoke-'));
try {
  const packages = publishablePackages();
  build(packages);
  const tarballs = pack(packages, join(work, 'tarballs'));
  checkTarballs(tarballs, work);
  coreAlone(tarballs, work);
  everyPackage(tarballs, work);
  console.log(`pack smoke test passed: ${packages.length} packages`);
} finally {
  if (process.argv.includes('--keep')) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
