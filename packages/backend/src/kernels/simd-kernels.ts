import { type SimdPool, startSimdPool } from '#simd-pool';
import { simdModules } from './simd-binary.js';
import { simdExports } from './simd-exports.js';

/** The slice of tfjs's Emscripten module (the wasm backend's `wasm` field) the kernels use. */
export interface HeapModule {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  /** The exports of the single-threaded build, its memory among them. */
  asm?: { memory?: unknown };
  /** The threaded build's (imported) memory, which mlap records when it starts that build. */
  wasmMemory?: unknown;
}

/** The exports of `wasm/*.c`; pointers are byte offsets into tfjs's heap. */
interface SimdExports {
  filter_transform(w: number, u: number, ci: number, co: number, ciP: number, coP: number): number;
  conv(...args: number[]): number;
  max_pool_grad_2x2(...args: number[]): number;
}

/** A stride-1, 3×3 NHWC convolution's geometry. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  /** Zero rows above the input. */
  readonly padTop: number;
  /** Zero columns left of the input. */
  readonly padLeft: number;
}

/** Output tiles per block: measured best between 12 and 36 on the bench CNN's layers. */
const TILE_BLOCK = 24;
/** Fewer tiles than this per thread are not worth waking helper threads for. */
const TILES_PER_THREAD = 2 * TILE_BLOCK;
/** WORK_FLOATS of winograd.c. */
const WORK_FLOATS = 4 * (36 + 24 + 16);
/** Tiles (4×4 outputs) per side. */
const tilesAlong = (size: number) => Math.ceil(size / 4);
const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

/**
 * mlap's SIMD kernels (`wasm/*.c`) on tfjs's wasm heap: the module imports the backend's own
 * memory, so tensors are read and written in place, and scratch comes from the backend's
 * `malloc`. With a pool (Node, threaded tfjs build), helper threads claim work (convolution
 * tiles, pooled images) from a shared counter alongside the caller; each unit's arithmetic does
 * not depend on who computes it, so results are bit-identical on any thread count.
 */
export class SimdKernels {
  constructor(
    private readonly heap: HeapModule,
    private readonly memory: WebAssembly.Memory,
    private readonly exports: SimdExports,
    private pool?: SimdPool,
  ) {}

  /**
   * Ends the helper threads, which would otherwise keep a replaced backend's heap alive; the
   * kernels still work, on the calling thread.
   */
  stopHelpers(): void {
    // Nothing waits for them to exit: they take no further job once told to stop.
    void this.pool?.stop();
    this.pool = undefined;
  }

  /** Threads a kernel can run on (1 without helpers). */
  get threads(): number {
    return 1 + (this.pool?.helpers ?? 0);
  }

  /**
   * Winograd F(4×4, 3×3): y = conv(x, filter) for byte offsets of float32 tensors on the heap:
   * x [N, H, W, Ci], filter [3, 3, Ci, Co], y [N, OH, OW, Co]. Returns false, leaving y
   * undefined, when x or the filter holds a NaN or infinity: Winograd's transforms would spread
   * it over whole tiles, where a direct convolution confines it to the outputs that read it.
   */
  conv(x: number, filter: number, y: number, g: ConvGeometry): boolean {
    const ciP = roundUp(g.inChannels, 4);
    const coP = roundUp(g.outChannels, 8);
    const tiles = g.batch * tilesAlong(g.outHeight) * tilesAlong(g.outWidth);
    const threads = tiles >= this.threads * TILES_PER_THREAD ? this.threads : 1;
    const uFloats = 36 * ciP * coP;
    const vFloats = 36 * TILE_BLOCK * ciP;
    const mFloats = 36 * TILE_BLOCK * coP;
    const perThread = vFloats + mFloats + WORK_FLOATS;
    return this.withScratch(uFloats + threads * perThread, (next, u) => {
      const { inChannels: ci, outChannels: co } = g;
      if (this.exports.filter_transform(filter, u, ci, co, ciP, coP) !== 0) return false;
      const geometry = [g.batch, g.inHeight, g.inWidth, ci, ciP, co, coP, g.outHeight, g.outWidth];
      const jobs = Array.from({ length: threads }, (_, i) => {
        const v = u + (uFloats + i * perThread) * 4;
        const m = v + vFloats * 4;
        const work = m + mFloats * 4;
        return [x, u, y, v, m, work, ...geometry, g.padTop, g.padLeft, TILE_BLOCK, next];
      });
      return this.parallel('conv', jobs).every((r) => r === 0);
    });
  }

  /**
   * MaxPoolGrad of 2×2 windows at stride 2, no padding: dx [N, H, W, C] gets each window's dy
   * [N, ⌊H/2⌋, ⌊W/2⌋, C] at the window's first maximum in x [N, H, W, C] (byte offsets of
   * float32 tensors on the heap), 0 elsewhere.
   */
  maxPoolGrad2x2(x: number, dy: number, dx: number, shape: readonly number[]): void {
    const [n = 0, h = 0, w = 0, c = 0] = shape;
    const threads = n >= 2 ? this.threads : 1;
    this.withScratch(0, (next) => {
      const jobs = Array.from({ length: threads }, () => [x, dy, dx, n, h, w, c, next]);
      // Only a helper thread that failed returns anything but 0 (see simd-pool.node.ts).
      if (this.parallel('max_pool_grad_2x2', jobs).some((r) => r !== 0))
        throw new Error('mlap SIMD kernels: MaxPoolGrad failed on a helper thread');
    });
  }

  /**
   * Runs `body` with `floats` of 16-byte-aligned scratch (at `scratch`) after a zeroed work
   * counter (at `next`), freed afterwards.
   */
  private withScratch<T>(floats: number, body: (next: number, scratch: number) => T): T {
    const base = this.heap._malloc((4 + floats) * 4 + 16);
    if (base === 0) throw new Error('mlap SIMD kernels: out of wasm memory');
    try {
      const next = roundUp(base, 16);
      // A fresh view: a malloc may have grown (and so replaced) the heap's buffer.
      new Int32Array(this.memory.buffer, next, 1)[0] = 0;
      return body(next, next + 16);
    } finally {
      this.heap._free(base);
    }
  }

  /**
   * Runs export `name` once per job: the first here, the others on helper threads that take
   * theirs in time (the work is claimed from a shared counter, so the jobs run cover it all).
   */
  private parallel(name: (typeof simdExports)[number], jobs: readonly number[][]): number[] {
    const [own = [], ...helped] = jobs;
    const run = () => this.exports[name](...own);
    if (helped.length === 0 || this.pool === undefined) return [run()];
    const index = simdExports.indexOf(name);
    return this.pool.run(
      run,
      helped.map((job) => [index, ...job]),
    );
  }
}

/** The heap memory of a tfjs wasm module, if mlap can reach it. */
function heapMemory(heap: HeapModule): WebAssembly.Memory | undefined {
  const memory = heap.wasmMemory ?? heap.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

const compiled = new Map<keyof typeof simdModules, Promise<WebAssembly.Module>>();

/**
 * Compiles one variant of mlap's SIMD module once (asynchronously: browsers refuse large
 * synchronous compiles): `plain` for a non-shared memory, `shared` for a shared one.
 */
export function compileVariant(variant: keyof typeof simdModules): Promise<WebAssembly.Module> {
  let module = compiled.get(variant);
  if (module === undefined) {
    const bytes = Uint8Array.from(atob(simdModules[variant]), (c) => c.charCodeAt(0));
    module = WebAssembly.compile(bytes);
    compiled.set(variant, module);
  }
  return module;
}

/**
 * Instantiates mlap's SIMD kernels on a tfjs wasm module's memory, with `threads − 1` helper
 * threads where the memory is shared and the platform allows; undefined when that memory is out
 * of reach (a tfjs build that hides it), in which case the kernels that use them fall back.
 */
export async function startSimdKernels(
  heap: HeapModule,
  threads: number,
): Promise<SimdKernels | undefined> {
  const memory = heapMemory(heap);
  if (memory === undefined) return undefined;
  const shared = isShared(memory);
  const module = await compileVariant(shared ? 'shared' : 'plain');
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const pool = shared ? await startSimdPool(module, memory, threads - 1) : undefined;
  return new SimdKernels(heap, memory, instance.exports as unknown as SimdExports, pool);
}
