import {
  Cast,
  Identity,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** The slice of the wasm backend's API an alias needs: reference counting of its buffers. */
interface RefCountingBackend {
  incRef(dataId: object): void;
}

interface CopyArgs {
  inputs: { x?: TensorInfo };
  attrs?: NamedAttrMap;
  backend: RefCountingBackend;
}

/** x itself under a new reference: tensors are immutable, so sharing the buffer is safe. */
function alias(x: TensorInfo, backend: RefCountingBackend): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/**
 * Identity and same-dtype Cast that share the input's buffer, as the cpu and WebGL backends do,
 * where wasm copies it. Every tensor a gradient tape saves goes through Identity (tfjs clones
 * it), and ReLU's gradient casts a float32 mask to float32: on the benchmark CNN's Jacobian these
 * copies were ≈ 3% of the time. Other casts (and strings) keep the backend's own kernel.
 */
export function aliasingCopyConfig(kernelName: typeof Cast | typeof Identity, own: KernelFunc) {
  const kernelFunc = (args: CopyArgs): TensorInfo | TensorInfo[] => {
    const x = args.inputs.x;
    const dtype = kernelName === Cast ? args.attrs?.dtype : x?.dtype;
    if (x !== undefined && dtype === x.dtype && x.dtype !== 'string') {
      return alias(x, args.backend);
    }
    return own(args as unknown as Parameters<KernelFunc>[0]);
  };
  const config: KernelConfig = {
    kernelName,
    backendName: 'wasm',
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
  return config;
}

/** The kernels {@link aliasingCopyConfig} wraps. */
export const copyKernels = [Identity, Cast] as const;
