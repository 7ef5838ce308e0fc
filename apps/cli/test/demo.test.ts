import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/run-demo.js';
import { toyConvNet } from '../src/demo/toy-model.js';
import { createProgram } from '../src/program.js';

describe('the demo', () => {
  it('runs the three attacks on the hideSingle targets and verifies them', async () => {
    const model = toyConvNet(3);
    const { rows, plan } = await runDemo(model, 4, 4);
    model.dispose();
    expect(plan.indices.length + plan.skipped.length).toBe(4);
    expect(rows.map((r) => r.attack)).toEqual(['ml-deepfool', 'ml-cw', 'pgd']);
    for (const r of rows) {
      expect(r.attacked).toBe(plan.indices.length);
      expect(r.successRate).toBeGreaterThan(0);
      expect(r.medianL2).toBeGreaterThan(0);
    }
  });

  it('is reproducible for a seed', async () => {
    const model = toyConvNet(5);
    const strip = (rows: { seconds: number }[]) => rows.map(({ seconds: _, ...rest }) => rest);
    const a = await runDemo(model, 2, 9);
    const b = await runDemo(model, 2, 9);
    model.dispose();
    expect(strip(b.rows)).toEqual(strip(a.rows));
  });
});

describe('the mlap command', () => {
  it('prints a table for `mlap demo` on the test backend', async () => {
    const lines: string[] = [];
    const backend = process.env.MLAP_BACKEND ?? 'cpu';
    await createProgram({ log: (l) => lines.push(l) }).parseAsync(
      ['demo', '--backend', backend, '--images', '2'],
      {
        from: 'user',
      },
    );
    expect(lines[0]).toMatch(`backend: ${backend}`);
    expect(lines[1]).toMatch(/of 2 images attacked/);
    expect(lines.join('\n')).toMatch(/ml-deepfool/);
    expect(tf.getBackend()).toBe(backend);
  });

  it('lists its commands in --help and rejects unknown backends', async () => {
    const program = createProgram().exitOverride();
    let help = '';
    program.configureOutput({ writeOut: (s) => (help += s), writeErr: (s) => (help += s) });
    await expect(program.parseAsync(['--help'], { from: 'user' })).rejects.toThrow();
    expect(help).toMatch(/demo/);
    expect(help).toMatch(/backends/);
    const bad = createProgram().exitOverride();
    let err = '';
    for (const c of bad.commands) {
      c.exitOverride();
      c.configureOutput({ writeErr: (s) => (err += s) });
    }
    await expect(bad.parseAsync(['demo', '--backend', 'gpu'], { from: 'user' })).rejects.toThrow();
    expect(err).toMatch(/Allowed choices are auto, cpu, wasm/);
  });
});
