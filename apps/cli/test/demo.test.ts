import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hideTopLabel } from '../src/demo/hide-top-label.js';
import { toyConvNet } from '../src/demo/toy-model.js';
import { createProgram } from '../src/program.js';

describe('the demo attack', () => {
  it('hides each top label, verified by the model, with small bounded steps', async () => {
    const model = toyConvNet(3);
    const results = await hideTopLabel(model, { images: 4, seed: 4 });
    model.dispose();
    expect(results).toHaveLength(4);
    for (const r of results) {
      expect(r.before).toBeGreaterThanOrEqual(0.5);
      expect(r.success).toBe(r.after < 0.5);
      expect(r.success).toBe(true);
      expect(r.l2).toBeGreaterThan(0);
      expect(r.linf).toBeLessThanOrEqual(r.l2);
      expect(r.iterations).toBeGreaterThanOrEqual(1);
    }
  });

  it('is reproducible for a seed', async () => {
    const model = toyConvNet(5);
    const a = await hideTopLabel(model, { images: 2, seed: 9 });
    const b = await hideTopLabel(model, { images: 2, seed: 9 });
    model.dispose();
    expect(b).toEqual(a);
  });
});

describe('the mlap command', () => {
  it('prints a table for `mlap demo` on the test backend', async () => {
    const lines: string[] = [];
    const backend = process.env.MLAP_BACKEND ?? 'cpu';
    await createProgram({ log: (l) => lines.push(l) }).parseAsync(
      ['demo', '--backend', backend, '--images', '2'],
      { from: 'user' },
    );
    expect(lines[0]).toMatch(`backend: ${backend}`);
    expect(lines.join('\n')).toMatch(/hidden label/);
    expect(lines.at(-1)).toMatch(/^2\/2 labels hidden/);
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
    bad.configureOutput({ writeErr: (s) => (err += s) });
    bad.commands.forEach((c) => {
      c.exitOverride();
      c.configureOutput({ writeErr: (s) => (err += s) });
    });
    await expect(bad.parseAsync(['demo', '--backend', 'gpu'], { from: 'user' })).rejects.toThrow();
    expect(err).toMatch(/Allowed choices are auto, cpu, wasm/);
  });
});
