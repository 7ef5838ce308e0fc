import { ArgumentError } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  type ConcreteBackend,
  gradientsRegistered,
  parseBackendRequest,
  setupBackend,
} from '../src/index.js';

const testBackend = (process.env.MLAP_BACKEND ?? 'cpu') as ConcreteBackend;

afterAll(async () => {
  await setupBackend({ backend: testBackend });
});

describe('setupBackend', () => {
  it('activates the requested backend and registers gradients', async () => {
    const info = await setupBackend({ backend: testBackend });
    expect(info.backend).toBe(testBackend);
    expect(tf.getBackend()).toBe(testBackend);
    expect(gradientsRegistered()).toBe(true);
    expect(info.summary).toMatch(new RegExp(`backend: ${testBackend}`));
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([3])));
    expect(Array.from(await g.data())).toEqual([6]);
    g.dispose();
  });

  it('reports an absent native backend with an install hint and keeps the active one', async () => {
    for (const backend of ['tensorflow', 'cuda'] as const) {
      const error = await setupBackend({ backend }).catch((e: unknown) => e);
      // Where tfjs-node really is installed this test has nothing to say.
      if (!(error instanceof Error)) continue;
      expect(BackendUnavailableError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/install @tensorflow\/tfjs-node/);
      expect((error as BackendUnavailableError).attempts[0]?.ok).toBe(false);
      expect(tf.getBackend()).toBe(testBackend);
    }
  });

  it('refuses WebGL outside a browser', async () => {
    await expect(setupBackend({ backend: 'webgl', platform: 'node' })).rejects.toThrow(
      /only in a browser/,
    );
  });

  it('auto picks the first loadable backend in Node preference order and says why', async () => {
    const info = await setupBackend({ backend: 'auto' });
    const order = ['cuda', 'tensorflow', 'wasm', 'cpu'];
    const tried = info.attempts.map((a) => a.backend);
    expect(tried).toEqual(order.slice(0, tried.length));
    expect(info.attempts.at(-1)).toEqual({ backend: info.backend, ok: true });
    expect(info.attempts.slice(0, -1).every((a) => !a.ok)).toBe(true);
    expect(info.summary).toMatch(/^backend: \w+( \(\d+ threads?\))? — auto: fastest that loads/);
    expect(tf.getBackend()).toBe(info.tfjsName);
  });

  it('auto measures the candidates where speed cannot be known in advance', async () => {
    const info = await setupBackend({ backend: 'auto', platform: 'browser' });
    const measured = info.attempts.filter((a) => a.ms !== undefined);
    expect(measured.map((a) => a.backend).sort()).toEqual(['cpu', 'wasm']);
    const fastest = measured.reduce((a, b) => ((a.ms ?? 0) <= (b.ms ?? 0) ? a : b));
    expect(info.backend).toBe(fastest.backend);
    expect(info.attempts.find((a) => a.backend === 'webgl')?.ok).toBe(false);
    expect(info.summary).toMatch(/fastest measured \(wasm [\d.]+ ms, cpu [\d.]+ ms\)/);
  });
});

describe('parseBackendRequest', () => {
  it('accepts every documented name in any case and rejects others', () => {
    expect(parseBackendRequest(' WASM ')).toBe('wasm');
    expect(parseBackendRequest('auto')).toBe('auto');
    expect(() => parseBackendRequest('gpu')).toThrow(ArgumentError);
    expect(() => parseBackendRequest('gpu')).toThrow(/auto, cpu, wasm, webgl, tensorflow, cuda/);
  });
});
