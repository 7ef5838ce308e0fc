/**
 * The layer list as it is stored in a case file (plain arrays instead of Float32Array) and read
 * back. float32 values round-trip exactly through JSON numbers.
 */
import { ProtocolLayerError } from './protocol-layer-error.js';
import type { ProtocolLayer, ProtocolNet, WeightArray } from './protocol-layers.js';

/** A weight array in JSON. */
export interface WeightJson {
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

const toJson = (w: WeightArray | null): WeightJson | null =>
  w === null ? null : { shape: w.shape, values: Array.from(w.values) };

/** The net with its weights as plain arrays, ready for `JSON.stringify`. */
export function netToJson(net: ProtocolNet): unknown {
  return {
    inputShape: net.inputShape,
    layers: net.layers.map((layer) =>
      'kernel' in layer
        ? { ...layer, kernel: toJson(layer.kernel), bias: toJson(layer.bias) }
        : layer,
    ),
  };
}

function weightFrom(json: unknown, source: string, layer: string, field: string): WeightArray {
  const w = json as Partial<WeightJson> | null;
  const size = w?.shape?.reduce((a, b) => a * b, 1);
  if (!Array.isArray(w?.values) || size !== w.values.length) {
    throw new ProtocolLayerError(source, layer, field, 'needs a shape and as many values');
  }
  return { shape: [...(w.shape ?? [])], values: Float32Array.from(w.values) };
}

/** Reads a net written by {@link netToJson}; throws a {@link ProtocolLayerError} on a bad entry. */
export function netFromJson(json: unknown, source: string): ProtocolNet {
  const net = json as { inputShape?: unknown; layers?: unknown };
  if (!Array.isArray(net?.inputShape) || !Array.isArray(net.layers)) {
    throw new ProtocolLayerError(source, '(model)', 'layers', 'needs inputShape and layers');
  }
  const layers = (net.layers as Record<string, unknown>[]).map((layer, i) => {
    const name = typeof layer.name === 'string' ? layer.name : `#${i}`;
    if (!['conv2d', 'maxpool2d', 'flatten', 'dense', 'activation'].includes(String(layer.type))) {
      throw new ProtocolLayerError(
        source,
        name,
        'type',
        `unknown layer type "${String(layer.type)}"`,
      );
    }
    if (!('kernel' in layer)) return layer as unknown as ProtocolLayer;
    const bias = layer.bias === null ? null : weightFrom(layer.bias, source, name, 'bias');
    return {
      ...layer,
      kernel: weightFrom(layer.kernel, source, name, 'kernel'),
      bias,
    } as ProtocolLayer;
  });
  return { inputShape: net.inputShape as number[], layers };
}
