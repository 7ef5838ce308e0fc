import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * Eval logs repeat every skipped sample once per job, so the plain JSONL of yeast or scene is
 * ~10 MB; gzipped it is a few hundred kB. The repository keeps `<log>.gz`; `mlap eval --resume`
 * works on the plain file, which exists only while an experiment runs (or after a killed run).
 */
export const archivePath = (log: string) => `${log}.gz`;

/** Restores the plain log from its archive when only the archive exists (before a resume). */
export function unpackLog(log: string): void {
  const gz = archivePath(log);
  if (!existsSync(log) && existsSync(gz)) writeFileSync(log, gunzipSync(readFileSync(gz)));
}

/** Replaces the plain log by its archive (after a finished run). */
export function packLog(log: string): void {
  if (!existsSync(log)) return;
  writeFileSync(archivePath(log), gzipSync(readFileSync(log), { level: 9 }));
  rmSync(log);
}

/** The text of a log, plain or archived (the plain file wins: it is the newer one). */
export function readLogText(log: string): string | undefined {
  if (existsSync(log)) return readFileSync(log, 'utf8');
  const gz = archivePath(log);
  return existsSync(gz) ? gunzipSync(readFileSync(gz)).toString('utf8') : undefined;
}
