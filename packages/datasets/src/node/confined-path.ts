import { isAbsolute, join, relative, resolve } from 'node:path';
import { DatasetFormatError } from '../errors/dataset-format-error.js';

/**
 * `dir/name` for a name read from a data file (a COCO `file_name`, a sidecar's file column, a VOC
 * or NUS-WIDE list entry). An absolute name or one that climbs out of `dir` with `..` is a
 * {@link DatasetFormatError} naming `source` (the file that listed it): a downloaded annotation
 * file must not make mlap read `/etc/passwd` or `~/.ssh` as an image.
 */
export function confinedPath(dir: string, name: string, source: string): string {
  const path = join(dir, name);
  const rel = relative(resolve(dir), resolve(path));
  if (isAbsolute(name) || /^[a-z]:[\\/]/i.test(name) || rel.startsWith('..') || isAbsolute(rel)) {
    throw new DatasetFormatError(
      source,
      undefined,
      `"${name}" is outside the folder ${dir}; listed files must stay inside it`,
    );
  }
  return path;
}
