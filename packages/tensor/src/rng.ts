import * as tf from '@tensorflow/tfjs-core';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { ArgumentError } from './errors/argument-error.js';

/** The generator behind an {@link Rng}. */
type JumpableRandomGenerator = ReturnType<typeof xoroshiro128plus>;

/** Mixes a 32-bit state (splitmix32 finaliser): nearby seeds give unrelated streams. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Hashes a safe integer to 32 bits; the high bits count too, so seeds above 2^32 differ. */
function hashInteger(value: number, argument: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new ArgumentError(argument, `must be a safe integer; got ${value}`);
  }
  return mix32(value | 0) ^ mix32(Math.floor(value / 2 ** 32) + 0x632be5ab);
}

/**
 * A seeded random stream (xoroshiro128+ from `pure-rand`). Values are drawn in JavaScript and
 * only then uploaded, so the same seed gives bit-identical tensors on every tfjs backend — unlike
 * `tf.randomUniform`, whose stream depends on the backend.
 */
export class Rng {
  readonly #gen: JumpableRandomGenerator;

  private constructor(gen: JumpableRandomGenerator) {
    this.#gen = gen;
  }

  /** A stream determined by `seed` (any safe integer). */
  static seeded(seed: number): Rng {
    return Rng.derive(seed);
  }

  /**
   * A stream determined by a seed and a path of integers, e.g. `(seed, sampleIndex)`: per-sample
   * choices then do not depend on how samples are batched or ordered.
   */
  static derive(seed: number, ...path: number[]): Rng {
    let state = hashInteger(seed, 'seed');
    for (const key of path) state = mix32(state ^ hashInteger(key, 'path'));
    return new Rng(xoroshiro128plus(state | 0));
  }

  /**
   * An independent child stream (2^64 draws away). The parent jumps too, so neither stream ever
   * repeats the other's values.
   */
  fork(): Rng {
    const child = this.#gen.clone();
    child.jump();
    this.#gen.jump();
    this.#gen.jump();
    return new Rng(child);
  }

  /** A float uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return uniformFloat64(this.#gen);
  }

  /** An integer uniform in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
      throw new ArgumentError('int', `needs integers min ≤ max; got [${min}, ${max}]`);
    }
    return uniformInt(this.#gen, min, max);
  }

  /** A normal variate (Box–Muller; one pair of uniforms per value, so the stream has no hidden cache). */
  normal(mean = 0, std = 1): number {
    const u1 = 1 - this.uniform(); // in (0, 1]: log stays finite
    const u2 = this.uniform();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A uniformly shuffled copy of `items` (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  /** One element of `items`, uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new ArgumentError('items', 'cannot choose from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** `k` distinct elements of `items`, uniformly, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    if (!Number.isInteger(k) || k < 0 || k > items.length) {
      throw new ArgumentError('k', `must be an integer in [0, ${items.length}]; got ${k}`);
    }
    const pool = [...items];
    for (let i = 0; i < k; i++) {
      const j = this.int(i, pool.length - 1);
      [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
    }
    return pool.slice(0, k);
  }

  /** A float32 tensor of uniform values in [lo, hi). */
  uniformTensor(shape: readonly number[], lo = 0, hi = 1): tf.Tensor {
    const values = this.#fill(shape, () => lo + (hi - lo) * this.uniform());
    return tf.tensor(values, [...shape], 'float32');
  }

  /** A float32 tensor of normal values. */
  normalTensor(shape: readonly number[], mean = 0, std = 1): tf.Tensor {
    const values = this.#fill(shape, () => this.normal(mean, std));
    return tf.tensor(values, [...shape], 'float32');
  }

  #fill(shape: readonly number[], draw: () => number): Float32Array {
    const size = shape.reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new ArgumentError('shape', `invalid shape [${shape.join(', ')}]`);
    }
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = draw();
    return values;
  }
}
