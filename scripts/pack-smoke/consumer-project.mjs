// A throw-away npm project outside the repository that installs packed mlap tarballs the way a
// user would, with registry packages for everything else.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Creates `dir` as a project depending on `dependencies` (name → specifier). Every mlap package
 * name is overridden to its tarball, so a transitive `@mlap/tensor@0.0.0` resolves to the packed
 * file and never to the registry.
 *
 * @param tarballs - package name → absolute tarball path, for every packed package
 */
export function createProject(dir, dependencies, tarballs) {
  mkdirSync(dir, { recursive: true });
  const overrides = Object.fromEntries(
    Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]),
  );
  const manifest = {
    name: 'mlap-pack-smoke',
    private: true,
    type: 'module',
    dependencies,
    pnpm: { overrides },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Installs the project with pnpm, which reuses its content-addressed store (fast when the
 * workspace was installed first) and, unlike a hoisting install, fails on undeclared dependencies.
 * CI=true would imply a frozen lockfile, which a fresh project does not have.
 */
export function install(dir) {
  execFileSync(
    'pnpm',
    ['install', '--no-frozen-lockfile', '--prefer-offline', '--reporter=silent'],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
}

/** Runs `node args…` in the project; output goes to this process's. */
export function runNode(dir, args) {
  execFileSync(process.execPath, args, { cwd: dir, stdio: 'inherit' });
}
