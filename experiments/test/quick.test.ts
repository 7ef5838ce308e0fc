import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../src/experiment-list.js';
import { readPage, writePage } from '../src/page.js';
import { logPath, runExperiment } from '../src/run-experiment.js';

// The whole pipeline on the default CNN: seconds on wasm, minutes on the pure-JS cpu backend.
describe.skipIf(process.env.MLAP_BACKEND !== 'wasm')('pnpm experiments --quick', () => {
  it('runs every experiment with tiny budgets, resumes, and rebuilds the page from the logs', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'mlap-experiments-'));
    const settings = { outDir, backend: 'wasm', quick: true, fresh: false };
    const outcomes = [];
    for (const e of EXPERIMENTS) outcomes.push(await runExperiment(e, settings));
    expect(outcomes[0]?.summary?.written).toBeGreaterThan(0);
    expect(outcomes.at(-1)?.skipped).toBe('not part of --quick');
    // Resuming a finished log redoes nothing.
    const again = await runExperiment(EXPERIMENTS[0] as (typeof EXPERIMENTS)[0], settings);
    expect(again.summary?.written).toBe(0);

    writePage(outDir, { quick: true });
    const page = readPage(outDir);
    // An independent count from the JSONL: ML-CW / hide-single on the default data.
    // A finished run leaves only the gzipped log.
    expect(existsSync(logPath(outDir, 'default'))).toBe(false);
    const rows = gunzipSync(readFileSync(`${logPath(outDir, 'default')}.gz`))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { job: string; attacked: boolean; success: boolean | null })
      .filter((r) => r.job === 'ml-cw/hide-single');
    const attacked = rows.filter((r) => r.attacked).length;
    const won = rows.filter((r) => r.success === true).length;
    const line = page.split('\n').find((l) => l.startsWith('| ml-cw | hide-single |'));
    expect(line).toContain(`| ${attacked} | ${rows.length - attacked} |`);
    expect(line).toContain(`(${won}/${attacked})`);
    expect(page).toContain('**Quick mode**');
    expect(page.match(/^### .*: \*\*(TRUE|FALSE|not measured)\*\*/gm)).toHaveLength(6);
    expect(page).toContain('## mlap vs PyTorch reference');
    const svg = readFileSync(join(outDir, 'plots', 'default-success.svg'), 'utf8');
    expect(svg).toMatch(/^<svg[^>]*role="img"/);
    expect(existsSync(join(outDir, 'plots', 'default-l2.svg'))).toBe(true);
  }, 120_000);
});
