import { fromLayersModel } from '@mlap/core';
import { buildMlp, layersModelFromArtifacts, modelToArtifacts } from '@mlap/models';
import { defaultModelDir, readModelArtifacts } from '@mlap/models/node';
import { Rng } from '@mlap/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { forwardNet } from '../src/protocol-forward.js';
import { ProtocolLayerError } from '../src/protocol-layer-error.js';
import { exportLayers, type ProtocolNet } from '../src/protocol-layers.js';
import { netFromJson, netToJson } from '../src/protocol-layers-json.js';

/** The net written to JSON text and read back, as the case file stores it. */
const reloaded = (net: ProtocolNet) =>
  netFromJson(JSON.parse(JSON.stringify(netToJson(net))), 'case.json');

/** Largest |mlap logits - re-loaded list's logits| on seeded inputs in [0, 1]. */
async function maxDiff(artifacts: tf.io.ModelArtifacts, net: ProtocolNet, n: number) {
  const layers = await layersModelFromArtifacts(artifacts);
  const model = fromLayersModel(layers, { box: { lo: 0, hi: 1 } });
  const x = Rng.derive(3, 1).uniformTensor([n, ...net.inputShape]);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(model.logits(x), forwardNet(net, x)))));
  const value = (await diff.data())[0];
  tf.dispose([diff, x]);
  layers.dispose();
  return value;
}

/** A seeded MLP's artifacts: InputLayer, Dense(relu), Dense(linear) "logits", Activation(sigmoid). */
async function mlpArtifacts(): Promise<tf.io.ModelArtifacts> {
  const model = buildMlp({ inputShape: [7], numLabels: 3, hidden: [5], seed: 2 });
  const artifacts = await modelToArtifacts(model);
  model.dispose();
  return artifacts;
}

/** The artifacts with the named layer's config (or class) changed. */
function edited(
  artifacts: tf.io.ModelArtifacts,
  edit: (layer: { class_name: string; config: Record<string, unknown> }) => void,
  index: number,
): tf.io.ModelArtifacts {
  const topology = structuredClone(artifacts.modelTopology) as {
    config: { layers: { class_name: string; config: Record<string, unknown> }[] };
  };
  const layer = topology.config.layers[index];
  if (layer === undefined) throw new Error(`no layer ${index}`);
  edit(layer);
  return { ...artifacts, modelTopology: topology };
}

describe('protocol layer list', () => {
  it('round-trips the default CNN: the re-loaded list computes mlap logits', async () => {
    const source = `${defaultModelDir()}model.json`;
    const artifacts = await readModelArtifacts(source);
    const net = reloaded(exportLayers(artifacts, source));
    expect(net.inputShape).toEqual([56, 56, 1]);
    // The final Activation(sigmoid) is left out: the list computes the logits mlap attacks.
    expect(net.layers.map((l) => l.type)).toEqual([
      'conv2d',
      'maxpool2d',
      'conv2d',
      'maxpool2d',
      'flatten',
      'dense',
      'dense',
    ]);
    expect(await maxDiff(artifacts, net, 2)).toBeLessThan(1e-4);
  });

  it('round-trips an MLP with a sigmoid head', async () => {
    const artifacts = await mlpArtifacts();
    const net = reloaded(exportLayers(artifacts, 'mlp.json'));
    expect(net.layers.map((l) => l.type)).toEqual(['dense', 'dense']);
    expect(await maxDiff(artifacts, net, 4)).toBeLessThan(1e-5);
  });

  it('rejects a layer the reference cannot run, naming the file, the layer and the field', async () => {
    const artifacts = await mlpArtifacts();
    const tanh = edited(artifacts, (l) => Object.assign(l.config, { activation: 'tanh' }), 1);
    expect(() => exportLayers(tanh, 'mlp.json')).toThrow(
      /^mlp\.json: layer "dense_Dense\d+": activation: "tanh" is not supported/,
    );
    const norm = edited(
      artifacts,
      (l) => Object.assign(l, { class_name: 'BatchNormalization' }),
      1,
    );
    const error = (() => {
      try {
        exportLayers(norm, 'mlp.json');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ProtocolLayerError);
    expect((error as ProtocolLayerError).field).toBe('class_name');
    expect((error as Error).message).toContain('BatchNormalization is not supported');
  });
});
