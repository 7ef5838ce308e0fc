import {
  BatchMatMul,
  Conv2D,
  DepthwiseConv2dNative,
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  PadV2,
  Reshape,
  Reverse,
  Slice,
  Sum,
  type TensorInfo,
  Transpose,
} from '@tensorflow/tfjs-core';

/** Explicit padding of an NHWC convolution: [[0,0],[top,bottom],[left,right],[0,0]]. */
export type ExplicitPad = [[0, 0], [number, number], [number, number], [0, 0]];

/**
 * Runs a backend's own kernels from inside another kernel and frees every intermediate.
 *
 * Kernels composed here run below the tfjs engine (no tape, no tensor objects), the way the
 * wasm backend composes its own kernels; the engine profiles the composite as one kernel. Each
 * intermediate TensorInfo owns one reference to its data, released by {@link KernelScope.finish}.
 */
export class KernelScope {
  private readonly temps: TensorInfo[] = [];

  /**
   * @param backend - the backend the composite kernel was called on
   * @param backendName - its registry name, whose kernels are called
   */
  constructor(
    readonly backend: KernelBackend,
    readonly backendName: string,
  ) {}

  /** Runs kernel `name` of this backend; its output is freed by {@link finish} unless kept. */
  run(name: string, inputs: NamedTensorInfoMap, attrs: object = {}): TensorInfo {
    const kernel = getKernel(name, this.backendName);
    if (kernel === undefined)
      throw new Error(`mlap: kernel ${name} is missing on ${this.backendName}`);
    const out = kernel.kernelFunc({ inputs, attrs: attrs as NamedAttrMap, backend: this.backend });
    const info = Array.isArray(out) ? out[0] : out;
    if (info === undefined) throw new Error(`mlap: kernel ${name} returned no output`);
    this.temps.push(info);
    return info;
  }

  /** Frees every intermediate except `result`, which is returned to the engine. */
  finish(result: TensorInfo): TensorInfo {
    for (const t of this.temps) if (t !== result) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
    return result;
  }

  /** Frees every intermediate (on failure). */
  abandon(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }

  reshape(x: TensorInfo, shape: readonly number[]): TensorInfo {
    return this.run(Reshape, { x }, { shape });
  }

  transpose(x: TensorInfo, perm: readonly number[]): TensorInfo {
    return this.run(Transpose, { x }, { perm });
  }

  reverse(x: TensorInfo, dims: readonly number[]): TensorInfo {
    return this.run(Reverse, { x }, { dims });
  }

  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[]): TensorInfo {
    return this.run(PadV2, { x }, { paddings, constantValue: 0 });
  }

  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): TensorInfo {
    return this.run(Slice, { x }, { begin, size });
  }

  sum(x: TensorInfo, axis: readonly number[]): TensorInfo {
    return this.run(Sum, { x }, { axis, keepDims: false });
  }

  matMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
    return this.run(BatchMatMul, { a, b }, { transposeA, transposeB });
  }

  /** Stride-`strides`, dilation-`dilations` NHWC convolution with explicit padding. */
  conv2d(
    x: TensorInfo,
    filter: TensorInfo,
    strides: [number, number],
    dilations: [number, number],
    pad: ExplicitPad,
  ): TensorInfo {
    const attrs = { strides, dilations, pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
    return this.run(Conv2D, { x, filter }, attrs);
  }

  /** Depthwise NHWC convolution with explicit padding. */
  depthwiseConv2d(
    x: TensorInfo,
    filter: TensorInfo,
    strides: [number, number],
    dilations: [number, number],
    pad: ExplicitPad,
  ): TensorInfo {
    const attrs = { strides, dilations, pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
    return this.run(DepthwiseConv2dNative, { x, filter }, attrs);
  }
}

/** The body of a composite kernel: builds its output from the backend's own kernels. */
export type CompositeBody = (
  scope: KernelScope,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
) => TensorInfo;

/** Wraps a composite body as a tfjs kernelFunc that frees its intermediates, even on error. */
export function compositeKernel(backendName: string, body: CompositeBody) {
  return ({
    inputs,
    attrs,
    backend,
  }: {
    inputs: NamedTensorInfoMap;
    attrs?: NamedAttrMap;
    backend: unknown;
  }): TensorInfo => {
    const scope = new KernelScope(backend as KernelBackend, backendName);
    try {
      return scope.finish(body(scope, inputs, attrs ?? {}));
    } catch (error) {
      scope.abandon();
      throw error;
    }
  };
}
