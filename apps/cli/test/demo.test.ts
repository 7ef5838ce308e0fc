import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mlDeepFool } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadDemoSetup } from '../src/demo/demo-data.js';
import { cellSummary } from '../src/demo/report.js';
import { runCell } from '../src/demo/run-demo.js';
import { createProgram, run } from '../src/program.js';

describe('the demo', () => {
  it('attacks default test images with a verified, reproducible cell', async () => {
    const setup = await loadDemoSetup(2);
    expect(setup.start.every((labels) => labels.filter((v) => v === 1).length >= 2)).toBe(true);
    const a = await runCell(
      setup,
      mlDeepFool,
      false,
      {},
      ['hide-single', { kind: 'hideSingle' }],
      3,
    );
    const b = await runCell(
      setup,
      mlDeepFool,
      false,
      {},
      ['hide-single', { kind: 'hideSingle' }],
      3,
    );
    expect(b.rows).toEqual(a.rows);
    expect(a.rows).toHaveLength(2);
    for (const row of a.rows) {
      expect(row.success).toBe(
        row.predicted.every((v, j) => row.target?.[j] === null || v === row.target?.[j]),
      );
    }
    expect(cellSummary(a).successRate).toBe(a.rows.filter((r) => r.success).length / 2);
    for (const c of [a, b])
      if (c.example !== undefined) tf.dispose([c.example.clean, c.example.adversarial]);
    setup.dispose();
  });

  // The full demo is 14 attack runs: minutes on the pure-JS cpu backend, so wasm only.
  it.skipIf(process.env.MLAP_BACKEND !== 'wasm')(
    'writes JSONL and a report whose numbers match it',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mlap-demo-'));
      const lines: string[] = [];
      expect(
        await run(['demo', '--backend', 'wasm', '--images', '2', '--out-dir', dir], {
          log: (l) => lines.push(l),
        }),
      ).toBe(0);
      const rows = readFileSync(join(dir, 'results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const report = readFileSync(join(dir, 'report.html'), 'utf8');
      for (const attack of ['ml-deepfool', 'ml-cw', 'rank1', 'rank2']) {
        const mine = rows.filter((r) => r.attack === attack && r.strategy === 'random');
        const rate = `${((100 * mine.filter((r) => r.success).length) / mine.length).toFixed(0)}%`;
        expect(report).toContain(
          `<tr><td>${attack}</td><td>random</td><td>${mine.length}</td><td>${rate}</td>`,
        );
      }
      expect(lines.join('\n')).toMatch(/report: /);
    },
  );
});

describe('the mlap command', () => {
  it('lists its commands in --help and rejects unknown backends with exit code 2', async () => {
    const program = createProgram().exitOverride();
    let help = '';
    program.configureOutput({ writeOut: (s) => (help += s), writeErr: (s) => (help += s) });
    await expect(program.parseAsync(['--help'], { from: 'user' })).rejects.toThrow();
    for (const command of ['demo', 'attack', 'train', 'backends']) expect(help).toMatch(command);
    expect(await run(['demo', '--backend', 'gpu'])).toBe(2);
    expect(await run(['no-such-command'])).toBe(2);
    expect(await run(['--help'])).toBe(0);
  });

  it('says which 3×3 convolutions wasm runs, and --no-winograd keeps XNNPACK’s', async () => {
    const lines = async (...flags: string[]) => {
      const out: string[] = [];
      const code = await run(['backends', '--backend', 'wasm', ...flags], {
        log: (l) => out.push(l),
      });
      return { code, text: out.join('\n') };
    };
    const before = tf.getBackend();
    try {
      const plain = await lines('--no-winograd');
      expect(plain.code).toBe(0);
      expect(plain.text).toContain('3×3 convolutions: XNNPACK');
      const fast = await lines();
      expect(fast.text).toContain('3×3 convolutions: Winograd');
    } finally {
      // The project's own backend (cpu or wasm) for the tests after this one.
      await tf.setBackend(before);
    }
  });
});
