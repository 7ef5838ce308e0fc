// Checks one unpacked tarball (the `package/` folder `pnpm pack` writes) for what a user of the
// published package needs: rewritten dependency specifiers, the files its entry points and
// source maps name, a README and a LICENSE, and nothing that belongs to development only.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Files a published package must not carry: tests, build caches, nested installs. */
const FORBIDDEN = [
  /(^|\/)test\//,
  /\.test\.[cm]?[jt]sx?$/,
  /\.tsbuildinfo$/,
  /(^|\/)node_modules\//,
];

/** Every file under `dir`, as paths relative to it with `/` separators. */
export function listFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listFiles(path, base);
    return [relative(base, path).split('\\').join('/')];
  });
}

/** The targets of a package.json `exports` / `imports` value, whatever its condition nesting. */
function targets(value) {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(targets);
}

/** Every file the manifest points at: main, types, bin, exports and imports targets. */
function entryFiles(manifest) {
  const bins =
    typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
  return [
    manifest.main,
    manifest.types,
    ...bins,
    ...targets(manifest.exports),
    ...targets(manifest.imports),
  ].filter((file) => typeof file === 'string');
}

/** Problems with the manifest itself: unrewritten workspace specifiers, missing fields. */
function manifestProblems(manifest) {
  const problems = [];
  const text = JSON.stringify(manifest);
  if (text.includes('workspace:')) problems.push('package.json still has a workspace: specifier');
  for (const field of ['exports', 'types', 'files', 'sideEffects', 'license', 'description']) {
    if (manifest[field] === undefined) problems.push(`package.json has no "${field}"`);
  }
  if (text.includes('github.com/mlap/mlap'))
    problems.push('package.json names the placeholder URL');
  return problems;
}

/** Source-map `sources` that are not in the tarball (a map pointing at files users lack). */
function danglingMapSources(root, files) {
  return files
    .filter((file) => file.endsWith('.map'))
    .flatMap((file) => {
      const map = JSON.parse(readFileSync(join(root, file), 'utf8'));
      const base = resolve(root, dirname(file), map.sourceRoot ?? '');
      return map.sources
        .filter((source) => !existsSync(resolve(base, source)))
        .map((source) => `${file} maps to missing ${source}`);
    });
}

/**
 * Checks the unpacked package at `root`; returns the problems found (empty when it is sane) and
 * the file list.
 */
export function checkTarball(root) {
  const files = listFiles(root);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const problems = [
    ...manifestProblems(manifest),
    ...['README.md', 'LICENSE'].filter((f) => !files.includes(f)).map((f) => `no ${f}`),
    ...files.filter((f) => FORBIDDEN.some((re) => re.test(f))).map((f) => `ships ${f}`),
    ...entryFiles(manifest)
      .filter((f) => !existsSync(join(root, f)))
      .map((f) => `package.json points at missing ${f}`),
    ...danglingMapSources(root, files),
  ];
  return { manifest, files, problems };
}
