import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/attack/usage-error.js';
import { readEvalConfig } from '../src/eval/config.js';
import { mergeLogs } from '../src/eval/merge.js';
import { readTextFile, TEXT_FILE_LIMITS } from '../src/read-text-file.js';

/** A sparse file of `bytes` bytes: it takes no disk or memory, but stat() reports its full size. */
function sparse(path: string, bytes: number): string {
  const fd = openSync(path, 'w');
  writeSync(fd, '{', bytes - 1);
  closeSync(fd);
  return path;
}

describe('the CLI reads its own text files within size limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlap-limits-'));

  it('reads a small file, and names a missing one', () => {
    const ok = join(dir, 'ok.txt');
    writeFileSync(ok, 'a\nb\n');
    expect(readTextFile(ok, 'labels', 16)).toBe('a\nb\n');
    expect(() => readTextFile(join(dir, 'none.txt'), 'labels', 16)).toThrow(
      /none\.txt: cannot read labels \(ENOENT\)/,
    );
  });

  it('refuses a file one byte over the limit before reading it', () => {
    const file = join(dir, 'seventeen.txt');
    writeFileSync(file, 'x'.repeat(17));
    expect(() => readTextFile(file, 'labels', 16)).toThrow(UsageError);
    expect(() => readTextFile(file, 'labels', 16)).toThrow(/17 bytes; files over 16 bytes/);
  });

  it('a 2 MB eval config and a 600 MB log are refused with the file named, using no memory', () => {
    const rss = process.memoryUsage().rss;
    const config = sparse(join(dir, 'huge.json'), 2 * 1024 * 1024);
    expect(() => readEvalConfig(config)).toThrow(
      /huge\.json: cannot read the config \(2097152 bytes/,
    );
    const log = sparse(join(dir, 'huge.jsonl'), TEXT_FILE_LIMITS.log + 1);
    expect(() => mergeLogs([log], join(dir, 'out.jsonl'))).toThrow(
      /huge\.jsonl: cannot read the log/,
    );
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1024 * 1024);
  });

  // Devices and FIFOs take the same bounded read; a FIFO is not tried here, as a synchronous read
  // of one whose writer failed to start would block the test run.
  it('reads a device only up to the limit: /dev/zero is refused, /dev/null is empty', () => {
    expect(() => readTextFile('/dev/zero', 'the config', 1000)).toThrow(
      /\/dev\/zero: cannot read the config \(not a regular file, and it gave over 1000 bytes/,
    );
    expect(readTextFile('/dev/null', 'labels', 16)).toBe('');
    expect(() => readTextFile(dir, 'labels', 16)).toThrow(/cannot read labels \(EISDIR\)/);
  });
});
