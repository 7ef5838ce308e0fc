import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DatasetFormatError } from '../errors/dataset-format-error.js';

/**
 * `dir/name` for a name read from a data file (a COCO `file_name`, a sidecar's file column, a VOC
 * or NUS-WIDE list entry). An absolute name or one that climbs out of `dir` with `..` is a
 * {@link DatasetFormatError} naming `source` (the file that listed it): a downloaded annotation
 * file must not make mlap read `/etc/passwd` or `~/.ssh` as an image. This check is lexical; the
 * file system is checked by {@link checkConfinedFile} before the file is read.
 */
export function confinedPath(dir: string, name: string, source: string): string {
  const path = join(dir, name);
  if (isAbsolute(name) || /^[a-z]:[\\/]/i.test(name) || !isInside(resolve(dir), resolve(path))) {
    throw new DatasetFormatError(
      source,
      undefined,
      `"${name}" is outside the folder ${dir}; listed files must stay inside it`,
    );
  }
  return path;
}

/** A data set's folder with its real path, resolved once per load (see {@link confinedFolder}). */
export interface ConfinedFolder {
  /** The folder as given. */
  readonly dir: string;
  /** Its real path (symlinks resolved). */
  readonly real: string;
  /** The file that lists the folder's files (or the folder itself), named in errors. */
  readonly source: string;
}

/** Whether `path` is `dir` or below it (both absolute). */
function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/**
 * Resolves `dir`'s real path once for a load. A folder that cannot be resolved (missing) keeps its
 * lexical path: its files are then missing too, and reported as such by the reader.
 */
export async function confinedFolder(dir: string, source: string): Promise<ConfinedFolder> {
  const real = await realpath(dir).catch(() => resolve(dir));
  return { dir, real, source };
}

/**
 * Checks on the file system, before anything is read, that `path` (a file of `folder`, already
 * confined lexically) is a regular file inside the folder's real path: a symlink (of the file or
 * of a sub-folder on the way) that leads out of the folder, or a device, FIFO or folder, is a
 * {@link DatasetFormatError} naming `folder.source` — a downloaded archive must not make mlap read
 * `/etc/passwd` or hang on `/dev/zero` or a FIFO. Returns false for a file that does not exist
 * (or cannot be resolved), so the caller reports it as it always has; true when it may be read.
 * Costs one `realpath` and one `stat`.
 */
export async function checkConfinedFile(folder: ConfinedFolder, path: string): Promise<boolean> {
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined) return false;
  // stat does not open the file: safe on a FIFO or a device
  const info = await stat(real).catch(() => undefined);
  if (info === undefined) return false;
  const name = relative(folder.dir, path).split(sep).join('/');
  if (!info.isFile()) {
    throw new DatasetFormatError(
      folder.source,
      undefined,
      `"${name}" is not a regular file (a device, FIFO or folder); listed files must be regular files`,
    );
  }
  if (!isInside(folder.real, real)) {
    throw new DatasetFormatError(
      folder.source,
      undefined,
      `"${name}" is a symlink that leads outside the folder ${folder.dir} (to ${real}); listed files must stay inside it`,
    );
  }
  return true;
}
