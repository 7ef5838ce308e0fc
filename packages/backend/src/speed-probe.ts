import * as tf from '@tensorflow/tfjs-core';

/**
 * Milliseconds the active backend takes for a small convolution forward and backward pass —
 * the work attacks do. Used by `auto` where backend speed cannot be known in advance (a browser:
 * without a real GPU, WebGL is 17–50× slower than wasm). Takes the best of a few runs after a
 * warm-up, since the first run compiles shaders or kernels.
 */
export async function measureBackendSpeed(runs = 3): Promise<number> {
  const x = tf.randomUniform([4, 32, 32, 8]) as tf.Tensor4D;
  const w = tf.randomUniform([3, 3, 8, 16]) as tf.Tensor4D;
  const loss = (t: tf.Tensor) => tf.sum(tf.relu(tf.conv2d(t as tf.Tensor4D, w, 1, 'same')));
  const step = () => tf.tidy(() => tf.grad(loss)(x));
  let best = Number.POSITIVE_INFINITY;
  try {
    for (let i = 0; i <= runs; i++) {
      const start = performance.now();
      const g = step();
      await g.data();
      g.dispose();
      if (i > 0) best = Math.min(best, performance.now() - start);
    }
  } finally {
    tf.dispose([x, w]);
  }
  return best;
}
