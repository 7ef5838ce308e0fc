/**
 * The attack worker: owns tfjs, the model and the current image, so the page stays responsive
 * while an attack runs (one CenterNet gradient takes seconds). Requests are handled one at a time,
 * except `cancel`, which aborts the running attack through the attack contract's AbortSignal.
 */
import { setupBackend } from '@mlap/backend';
import { AttackAbortedError, planTargets, predictLabels } from '@mlap/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Reply, Request } from '../protocol.js';
import { runPageAttack, sameLabels } from './attacks.js';
import { type LoadedModel, loadModel } from './load-model.js';
import {
  decodeToRgba,
  imageShape,
  inputToRgba,
  perturbationToRgba,
  rgbaToInput,
} from './pixels.js';

interface State {
  loaded?: LoadedModel;
  input?: tf.Tensor4D;
  start?: (0 | 1)[];
  running?: AbortController;
  cancelFlag?: Int32Array;
}

const state: State = {};
const post = (reply: Reply, transfer: Transferable[] = []) => postMessage(reply, { transfer });

function needModel(): LoadedModel {
  if (state.loaded === undefined) throw new Error('no model loaded');
  return state.loaded;
}

async function probabilities(x: tf.Tensor): Promise<number[]> {
  const p = tf.tidy(() => tf.sigmoid(needModel().model.logits(x)));
  const values = Array.from(await p.data());
  p.dispose();
  return values;
}

async function init(request: Extract<Request, { type: 'init' }>): Promise<void> {
  if (request.cancelFlag !== undefined) state.cancelFlag = new Int32Array(request.cancelFlag);
  const info = await setupBackend({
    backend: request.backend,
    wasmPaths: request.wasmPaths,
    quiet: true,
  });
  post({
    type: 'backend',
    report: {
      backend: info.backend,
      summary: info.summary,
      attempts: info.attempts.map((a) => ({ ...a })),
    },
  });
}

async function load(request: Extract<Request, { type: 'load-model' }>): Promise<void> {
  const started = performance.now();
  state.loaded?.dispose();
  state.input?.dispose();
  state.loaded = undefined;
  state.input = undefined;
  const loaded = await loadModel(request.source, request.baseUrl);
  state.loaded = loaded;
  // One forward pass on zeros warms the backend up (kernels, shaders) before the first image.
  const warm = tf.tidy(() => loaded.model.logits(tf.zeros([1, ...loaded.model.inputShape])));
  await warm.data();
  warm.dispose();
  const { model } = loaded;
  post({
    type: 'model',
    report: {
      name: loaded.name,
      labelNames: model.labelNames ?? Array.from({ length: model.numLabels }, (_, j) => `${j}`),
      inputShape: model.inputShape,
      thresholds: model.thresholds,
      ms: performance.now() - started,
    },
  });
}

async function predict(request: Extract<Request, { type: 'predict' }>): Promise<void> {
  const { model } = needModel();
  const [h, w] = imageShape(model);
  const rgba = await decodeToRgba(request.image, w, h);
  state.input?.dispose();
  state.input = rgbaToInput(rgba, model);
  const [labels = []] = await predictLabels(model, state.input);
  state.start = labels;
  // Show exactly what the model sees: the input itself, grey when the model is grey.
  const input = await inputToRgba(state.input, model);
  const probs = await probabilities(state.input);
  post({ type: 'prediction', input, probabilities: probs, labels }, [input.data.buffer]);
}

function plan(request: Extract<Request, { type: 'plan' }>): void {
  if (state.start === undefined) throw new Error('no image predicted yet');
  const strategy =
    request.preset === 'random' ? { kind: 'random' as const, flips: 1 } : { kind: request.preset };
  const result = planTargets(strategy, [state.start], needModel().model, request.seed);
  const [target] = result.targets;
  if (target === undefined) throw new Error(result.skipped[0]?.reason ?? 'no target');
  post({ type: 'plan', target });
}

async function attack(request: Extract<Request, { type: 'attack' }>): Promise<void> {
  const { model } = needModel();
  if (state.input === undefined || state.start === undefined) throw new Error('no image yet');
  const controller = new AbortController();
  state.running = controller;
  const started = performance.now();
  try {
    const result = await runPageAttack({
      model,
      input: state.input,
      start: state.start,
      name: request.attack,
      target: request.target,
      settings: request.settings,
      signal: controller.signal,
      onProgress: (iteration, total) => {
        // Read once per iteration: the next checkpoint then rejects with AttackAbortedError.
        const flag = state.cancelFlag;
        if (flag !== undefined && Atomics.load(flag, 0) === 1) {
          controller.abort(new Error('cancelled by the visitor'));
        }
        post({ type: 'progress', iteration, total, ms: performance.now() - started });
      },
    });
    const ms = performance.now() - started;
    try {
      const [sample] = result.samples;
      if (sample === undefined) throw new Error('the attack returned no sample');
      const adversarial = await inputToRgba(result.adversarial, model);
      const perturbation = await perturbationToRgba(result.perturbation, model);
      const rounded = rgbaToInput(adversarial, model);
      const pngKeepsTarget = await sameLabels(model, rounded, sample.predicted);
      rounded.dispose();
      const report = {
        attack: request.attack,
        success: sample.success,
        l2: sample.l2,
        linf: sample.linf,
        rmsd: sample.rmsd,
        iterations: sample.iterations,
        ms,
        predicted: sample.predicted,
        probabilities: await probabilities(result.adversarial),
        adversarial,
        perturbation,
        pngKeepsTarget,
      };
      post({ type: 'result', report }, [adversarial.data.buffer, perturbation.data.buffer]);
    } finally {
      result.dispose();
    }
  } catch (error) {
    if (error instanceof AttackAbortedError) post({ type: 'cancelled' });
    else throw error;
  } finally {
    state.running = undefined;
  }
}

function handle(request: Exclude<Request, { type: 'cancel' }>): Promise<void> | void {
  switch (request.type) {
    case 'init':
      return init(request);
    case 'load-model':
      return load(request);
    case 'predict':
      return predict(request);
    case 'plan':
      return plan(request);
    case 'attack':
      return attack(request);
  }
}

let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<Request>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    // Not queued: it must reach the attack that is running now.
    state.running?.abort(new Error('cancelled by the visitor'));
    return;
  }
  queue = queue.then(async () => {
    try {
      await handle(request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      post({ type: 'error', during: request.type, message });
    }
  });
};
