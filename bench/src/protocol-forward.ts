/**
 * Runs a layer list with tfjs-core ops (no tfjs-layers): the check that an exported list computes
 * what mlap's `fromLayersModel` computes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  LayerActivation,
  ProtocolLayer,
  ProtocolNet,
  WeightArray,
} from './protocol-layers.js';

const tensorOf = (w: WeightArray) => tf.tensor(w.values, [...w.shape]);

function activate(x: tf.Tensor, activation: LayerActivation): tf.Tensor {
  if (activation === 'relu') return tf.relu(x);
  if (activation === 'sigmoid') return tf.sigmoid(x);
  return x;
}

function withBias(x: tf.Tensor, bias: WeightArray | null): tf.Tensor {
  return bias === null ? x : tf.add(x, tensorOf(bias));
}

function applyLayer(x: tf.Tensor, layer: ProtocolLayer): tf.Tensor {
  switch (layer.type) {
    case 'conv2d': {
      const y = tf.conv2d(
        x as tf.Tensor4D,
        tensorOf(layer.kernel) as tf.Tensor4D,
        [...layer.strides],
        layer.padding,
      );
      return activate(withBias(y, layer.bias), layer.activation);
    }
    case 'maxpool2d':
      return tf.maxPool(x as tf.Tensor4D, [...layer.poolSize], [...layer.strides], 'valid');
    case 'flatten':
      return tf.reshape(x, [x.shape[0] ?? -1, -1]);
    case 'dense':
      return activate(
        withBias(tf.matMul(x as tf.Tensor2D, tensorOf(layer.kernel) as tf.Tensor2D), layer.bias),
        layer.activation,
      );
    case 'activation':
      return activate(x, layer.activation);
  }
}

/** The net's logits on `x` [N, ...inputShape]. */
export function forwardNet(net: ProtocolNet, x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => net.layers.reduce(applyLayer, x) as tf.Tensor2D);
}
