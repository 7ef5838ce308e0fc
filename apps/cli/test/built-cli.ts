import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repo = fileURLToPath(new URL('../../../', import.meta.url));
/** The built `mlap` entry point. */
export const cli = join(repo, 'apps/cli/dist/main.js');

/** Builds the CLI (turbo: cached when nothing changed); the tests of the built command need it. */
export function buildCli(): void {
  execFileSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@mlap/cli', '--output-logs=errors-only'],
    { cwd: repo, stdio: 'inherit' },
  );
}

/** Runs the built `mlap` to the end and returns its exit code and output. */
export function mlap(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
