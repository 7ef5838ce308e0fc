import { type ConcreteBackend, setupBackend } from '@mlap/backend';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ArgumentError, Rng } from '../src/index.js';

const draws = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.uniform());

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams otherwise', () => {
    expect(draws(Rng.seeded(42), 20)).toEqual(draws(Rng.seeded(42), 20));
    expect(draws(Rng.seeded(42), 5)).not.toEqual(draws(Rng.seeded(43), 5));
    // Seeds that differ only above bit 32 still differ.
    expect(draws(Rng.seeded(1), 5)).not.toEqual(draws(Rng.seeded(1 + 2 ** 32), 5));
  });

  it('derives per-sample streams independent of draw order', () => {
    const a = Rng.derive(7, 3).int(0, 1000);
    Rng.derive(7, 2).int(0, 1000); // another sample drawing first changes nothing
    expect(Rng.derive(7, 3).int(0, 1000)).toBe(a);
    expect(draws(Rng.derive(7, 3), 5)).not.toEqual(draws(Rng.derive(7, 4), 5));
    expect(draws(Rng.derive(7), 5)).toEqual(draws(Rng.seeded(7), 5));
  });

  it('forks reproducible, non-overlapping children', () => {
    const parent = Rng.seeded(5);
    const child = parent.fork();
    const again = Rng.seeded(5);
    expect(draws(again.fork(), 10)).toEqual(draws(child, 10));
    const parentDraws = new Set(draws(parent, 1000));
    const childDraws = draws(Rng.seeded(5).fork(), 1000);
    expect(childDraws.some((v) => parentDraws.has(v))).toBe(false);
  });

  it('draws within bounds with plausible moments', () => {
    const rng = Rng.seeded(123);
    const u = draws(rng, 20_000);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01); // sd of the mean ≈ 0.002
    const ints = Array.from({ length: 2000 }, () => rng.int(-2, 2));
    expect(new Set(ints)).toEqual(new Set([-2, -1, 0, 1, 2]));
    const z = Array.from({ length: 20_000 }, () => rng.normal(3, 2));
    const zm = z.reduce((a, b) => a + b, 0) / z.length;
    const zv = z.reduce((a, b) => a + (b - zm) ** 2, 0) / z.length;
    expect(Math.abs(zm - 3)).toBeLessThan(0.05); // sd of the mean ≈ 0.014
    expect(Math.abs(zv - 4)).toBeLessThan(0.2);
  });

  it('shuffles, chooses and samples without replacement', () => {
    const rng = Rng.seeded(9);
    const items = Array.from({ length: 10 }, (_, i) => i);
    const shuffled = rng.shuffle(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    const picked = rng.sample(items, 4);
    expect(new Set(picked).size).toBe(4);
    expect(items).toContain(rng.choice(items));
    expect(() => rng.sample(items, 11)).toThrow(ArgumentError);
    expect(() => rng.choice([])).toThrow(ArgumentError);
    expect(() => Rng.seeded(0.5)).toThrow(ArgumentError);
    expect(() => rng.int(3, 2)).toThrow(ArgumentError);
  });

  it('builds bit-identical tensors on the cpu and wasm backends', async () => {
    const original = tf.getBackend() as ConcreteBackend;
    const values: Record<string, number[]> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      await setupBackend({ backend });
      expect(tf.getBackend()).toBe(backend);
      const rng = Rng.seeded(2024);
      const u = rng.uniformTensor([3, 4], -1, 1);
      const n = rng.normalTensor([5], 0, 2);
      values[backend] = [...(await u.data()), ...(await n.data())];
      tf.dispose([u, n]);
    }
    await setupBackend({ backend: original });
    expect(values.wasm).toEqual(values.cpu);
    expect(values.cpu?.slice(0, 12).every((v) => v >= -1 && v < 1)).toBe(true);
  });
});
