import { homedir, platform } from 'node:os';
import { join } from 'node:path';

/**
 * mlap's cache folder: `$MLAP_CACHE_DIR` if set, else the OS cache folder (`$XDG_CACHE_HOME` or
 * `~/.cache` on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows) plus `mlap`.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLAP_CACHE_DIR) return env.MLAP_CACHE_DIR;
  const os = platform();
  const base =
    os === 'win32'
      ? (env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
      : os === 'darwin'
        ? join(homedir(), 'Library', 'Caches')
        : (env.XDG_CACHE_HOME ?? join(homedir(), '.cache'));
  return join(base, 'mlap');
}
