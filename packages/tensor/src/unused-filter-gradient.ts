/**
 * Tells backend kernels that the convolution filter gradient they are asked for will be thrown
 * away. tfjs's fused convolutions (`tf.fused.conv2d`, `tf.fused.depthwiseConv2d`, which every
 * converted graph model uses) compute the filter gradient eagerly in their custom gradient, even
 * when only the input gradient is wanted; on a MobileNet-CenterNet that is 38 % of an input
 * gradient. mlap's own backward pass ({@link recordVjp}) knows when a fused convolution's filter
 * does not depend on the input, and says so while that node's gradient runs.
 */
let depth = 0;

/**
 * True while mlap's backward pass runs the gradient of a fused convolution whose filter gradient
 * nobody reads. A backend kernel computing `Conv2DBackpropFilter` or
 * `DepthwiseConv2dNativeBackpropFilter` may then return zeros of the filter's shape; the input
 * gradient is unchanged to the bit. Always false outside such a call.
 */
export function filterGradientUnused(): boolean {
  return depth > 0;
}

/** Runs `f` with {@link filterGradientUnused} true. */
export function whileFilterGradientUnused<T>(f: () => T): T {
  depth++;
  try {
    return f();
  } finally {
    depth--;
  }
}
