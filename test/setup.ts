/**
 * Shared test set-up for every package: injects the backend named by MLAP_BACKEND (as an app
 * would; MLAP_WASM_THREADS sets wasm's threads) and asserts after every test that it left no
 * tensor behind.
 */
import { type BackendRequest, setupBackend } from '@mlap/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';

const requested = (process.env.MLAP_BACKEND ?? 'cpu') as BackendRequest;
const threads = process.env.MLAP_WASM_THREADS;

beforeAll(async () => {
  await setupBackend({
    backend: requested,
    quiet: true,
    ...(threads !== undefined && { wasmThreads: Number(threads) }),
  });
});

let tensorsBefore = 0;
beforeEach(() => {
  tensorsBefore = tf.memory().numTensors;
});

afterEach(() => {
  expect(tf.memory().numTensors, 'tensors leaked by this test').toBe(tensorsBefore);
});
