/**
 * The generic layer list of the protocol case: a chain of layers with their weights, exported from
 * a sequential TF.js Layers model's artifacts (topology + weights, no tfjs-layers needed), read
 * back from JSON, and run with tfjs-core ops. `bench/reference/protocol_model.py` builds the same
 * chain in PyTorch.
 *
 * Layout: inputs NHWC (channels last) or [N, F]; conv kernels HWIO; dense kernels [in, out];
 * `flatten` flattens in NHWC order (h, w, c). The list computes the logits mlap attacks: a final
 * sigmoid (which `fromLayersModel` bypasses) is left out.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ProtocolLayerError } from './protocol-layer-error.js';

/** A weight array: its shape and float32 values, row-major. */
export interface WeightArray {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** The activations the reference runs (a final sigmoid is dropped, see the file comment). */
export type LayerActivation = 'linear' | 'relu' | 'sigmoid';

/** One layer of the chain. */
export type ProtocolLayer =
  | {
      readonly type: 'conv2d';
      readonly name: string;
      readonly strides: readonly [number, number];
      readonly padding: 'same' | 'valid';
      readonly activation: LayerActivation;
      /** [kh, kw, in, out]. */
      readonly kernel: WeightArray;
      readonly bias: WeightArray | null;
    }
  | {
      readonly type: 'maxpool2d';
      readonly name: string;
      readonly poolSize: readonly [number, number];
      readonly strides: readonly [number, number];
    }
  | { readonly type: 'flatten'; readonly name: string }
  | {
      readonly type: 'dense';
      readonly name: string;
      readonly activation: LayerActivation;
      /** [in, out]. */
      readonly kernel: WeightArray;
      readonly bias: WeightArray | null;
    }
  | { readonly type: 'activation'; readonly name: string; readonly activation: LayerActivation };

/** The model of a case: input shape (one sample) and the layer chain producing logits. */
export interface ProtocolNet {
  readonly inputShape: readonly number[];
  readonly layers: readonly ProtocolLayer[];
}

/** What each layer type means, written into the case for the reference's reader. */
export const LAYER_LAYOUT = {
  inputs: 'float32 NHWC [N, H, W, C] (or [N, F]), flattened row-major',
  conv2d:
    'kernel HWIO [kh, kw, in, out] + bias [out]; strides; padding same (stride 1, odd kernel: symmetric) or valid; then activation',
  maxpool2d: 'poolSize and strides, padding valid (floor)',
  flatten: 'NHWC order (h, w, c)',
  dense: 'x @ kernel [in, out] + bias [out]; then activation',
  activation: 'linear | relu | sigmoid, elementwise',
  output: 'logits: a final sigmoid (bypassed by fromLayersModel) is left out',
} as const;

/** A layer's entry in a Keras/TF.js topology. */
interface TopologyLayer {
  readonly class_name: string;
  readonly name?: string;
  readonly config: Record<string, unknown>;
  readonly inbound_nodes?: unknown;
}

const ACTIVATIONS: readonly string[] = ['linear', 'relu', 'sigmoid'];

/** Whether `inbound` (Keras `inbound_nodes`) is one call on the layer `from` (none when undefined). */
function takesOnly(inbound: unknown, from: string | undefined): boolean {
  if (from === undefined) return Array.isArray(inbound) && inbound.length === 0;
  if (!Array.isArray(inbound) || inbound.length !== 1) return false;
  const node = inbound[0] as unknown;
  if (!Array.isArray(node) || node.length !== 1) return false;
  const tensor = node[0] as unknown;
  return Array.isArray(tensor) && tensor[0] === from;
}

/** The topology's layers in order; throws unless they form one chain from input to output. */
function chainLayers(topology: unknown, source: string): TopologyLayer[] {
  const top = topology as { class_name?: string; config?: unknown } | undefined;
  const config = top?.config as { layers?: TopologyLayer[] } | TopologyLayer[] | undefined;
  const layers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new ProtocolLayerError(source, '(model)', 'modelTopology', 'no layer list');
  }
  if (top?.class_name === 'Model' || top?.class_name === 'Functional') {
    layers.forEach((layer, i) => {
      const prev = layers[i - 1];
      const from = prev === undefined ? undefined : String(prev.name ?? prev.config.name);
      if (!takesOnly(layer.inbound_nodes, from)) {
        throw new ProtocolLayerError(
          source,
          String(layer.name ?? layer.config.name),
          'inbound_nodes',
          `not a chain: each layer must take exactly the previous one (${from ?? 'nothing'}); got ${JSON.stringify(layer.inbound_nodes)}`,
        );
      }
    });
  }
  return layers;
}

/** Reads a pair of numbers (`[a, b]`, or one number for both). */
function pair(value: unknown, source: string, layer: string, field: string): [number, number] {
  const v = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ProtocolLayerError(
      source,
      layer,
      field,
      `expected two positive integers; got ${JSON.stringify(value)}`,
    );
  }
  return [v[0] as number, v[1] as number];
}

function expect(
  ok: boolean,
  source: string,
  layer: string,
  field: string,
  detail: () => string,
): void {
  if (!ok) throw new ProtocolLayerError(source, layer, field, detail());
}

function activationOf(config: Record<string, unknown>, source: string, layer: string) {
  const activation = (config.activation ?? 'linear') as string;
  expect(
    ACTIVATIONS.includes(activation),
    source,
    layer,
    'activation',
    () => `"${activation}" is not supported (the reference runs ${ACTIVATIONS.join(', ')})`,
  );
  return activation as LayerActivation;
}

/** Checks what every image layer shares: channels-last data and no dilation. */
function checkImageLayer(config: Record<string, unknown>, source: string, name: string): void {
  const format = config.data_format ?? 'channels_last';
  expect(
    format === 'channels_last',
    source,
    name,
    'data_format',
    () => `"${format}" (channels_last only)`,
  );
  const dilation = JSON.stringify(config.dilation_rate ?? [1, 1]);
  expect(
    dilation === '[1,1]' || dilation === '1',
    source,
    name,
    'dilation_rate',
    () => `${dilation} (1 only)`,
  );
}

type Weights = ReadonlyMap<string, WeightArray>;

function weight(weights: Weights, source: string, layer: string, which: string): WeightArray {
  const w = weights.get(`${layer}/${which}`);
  if (w === undefined) {
    throw new ProtocolLayerError(
      source,
      layer,
      which,
      `no weight "${layer}/${which}" in the manifest`,
    );
  }
  return w;
}

/** One topology layer as a list entry (undefined for the InputLayer). */
function convertLayer(
  layer: TopologyLayer,
  weights: Weights,
  source: string,
): ProtocolLayer | undefined {
  const c = layer.config;
  const name = String(layer.name ?? c.name);
  const bias = (): WeightArray | null =>
    c.use_bias === false ? null : weight(weights, source, name, 'bias');
  switch (layer.class_name) {
    case 'InputLayer':
      return undefined;
    case 'Conv2D': {
      checkImageLayer(c, source, name);
      const kernel = weight(weights, source, name, 'kernel');
      const strides = pair(c.strides ?? [1, 1], source, name, 'strides');
      const padding = c.padding as string;
      expect(
        padding === 'valid' || padding === 'same',
        source,
        name,
        'padding',
        () => `"${padding}"`,
      );
      const [kh = 0, kw = 0] = kernel.shape;
      const symmetric = strides[0] === 1 && strides[1] === 1 && kh % 2 === 1 && kw % 2 === 1;
      expect(
        padding === 'valid' || symmetric,
        source,
        name,
        'padding',
        () =>
          `"same" with strides [${strides}] and kernel ${kh}×${kw} pads asymmetrically; the reference takes "same" only with stride 1 and odd kernels`,
      );
      return {
        type: 'conv2d',
        name,
        strides,
        padding: padding as 'same' | 'valid',
        activation: activationOf(c, source, name),
        kernel,
        bias: bias(),
      };
    }
    case 'MaxPooling2D': {
      checkImageLayer(c, source, name);
      const poolSize = pair(c.pool_size, source, name, 'pool_size');
      expect(
        c.padding === 'valid',
        source,
        name,
        'padding',
        () => `"${String(c.padding)}" (valid only)`,
      );
      return {
        type: 'maxpool2d',
        name,
        poolSize,
        strides: pair(c.strides ?? poolSize, source, name, 'strides'),
      };
    }
    case 'Flatten':
      return { type: 'flatten', name };
    case 'Dense':
      return {
        type: 'dense',
        name,
        activation: activationOf(c, source, name),
        kernel: weight(weights, source, name, 'kernel'),
        bias: bias(),
      };
    case 'Activation':
      return { type: 'activation', name, activation: activationOf(c, source, name) };
    default:
      throw new ProtocolLayerError(
        source,
        name,
        'class_name',
        `${layer.class_name} is not supported (the reference runs InputLayer, Conv2D, MaxPooling2D, Flatten, Dense, Activation)`,
      );
  }
}

/** The chain without its final sigmoid: the logits `fromLayersModel` reads. */
function logitsOnly(layers: ProtocolLayer[]): ProtocolLayer[] {
  const last = layers.at(-1);
  if (last === undefined || !('activation' in last) || last.activation !== 'sigmoid') return layers;
  if (last.type === 'activation') return layers.slice(0, -1);
  return [...layers.slice(0, -1), { ...last, activation: 'linear' }];
}

/** The weights of the artifacts by name, as float32 arrays. */
function decodeWeights(artifacts: tf.io.ModelArtifacts, source: string): Map<string, WeightArray> {
  const specs = artifacts.weightSpecs ?? [];
  const bad = specs.find((s) => s.dtype !== 'float32' || s.quantization !== undefined);
  if (bad !== undefined) {
    throw new ProtocolLayerError(
      source,
      bad.name,
      'dtype',
      `${bad.dtype} / quantized weights (float32 only)`,
    );
  }
  const data = new tf.io.CompositeArrayBuffer(artifacts.weightData ?? new ArrayBuffer(0)).slice();
  const map = new Map<string, WeightArray>();
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    map.set(spec.name, {
      shape: [...spec.shape],
      values: new Float32Array(data.slice(offset, offset + 4 * size)),
    });
    offset += 4 * size;
  }
  return map;
}

/** The input shape of one sample, from the first layer's `batch_input_shape`. */
function inputShapeOf(first: TopologyLayer | undefined, source: string): number[] {
  const shape = (first?.config.batch_input_shape ?? first?.config.batchInputShape) as unknown;
  if (!Array.isArray(shape) || !shape.slice(1).every((d) => Number.isInteger(d) && d > 0)) {
    throw new ProtocolLayerError(
      source,
      String(first?.name ?? first?.config.name),
      'batch_input_shape',
      `needs fixed dimensions; got ${JSON.stringify(shape)}`,
    );
  }
  return shape.slice(1) as number[];
}

/**
 * Exports a sequential Layers model (its artifacts: `readModelArtifacts(path)` or
 * `modelToArtifacts(model)`) as a layer list. Throws a {@link ProtocolLayerError} naming `source`,
 * the layer and the field for anything the reference cannot run.
 */
export function exportLayers(artifacts: tf.io.ModelArtifacts, source: string): ProtocolNet {
  const layers = chainLayers(artifacts.modelTopology, source);
  const weights = decodeWeights(artifacts, source);
  const list = layers.flatMap((l) => convertLayer(l, weights, source) ?? []);
  return { inputShape: inputShapeOf(layers[0], source), layers: logitsOnly(list) };
}
