import * as tf from '@tensorflow/tfjs-core';

/** Every tensor inside a container (a tensor, array or plain object of them). */
function tensorsIn(value: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (value instanceof tf.Tensor) out.push(value);
  else if (Array.isArray(value)) for (const v of value) tensorsIn(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) tensorsIn(v, out);
  }
  return out;
}

/**
 * Owns tensors across `await`s, where `tf.tidy` cannot reach: everything tracked is disposed
 * together, except what was released to the caller. Attack loops create one per run.
 *
 * @example
 * await withScope(async (scope) => {
 *   let x = scope.track(start.clone());
 *   for (let i = 0; i < steps; i++) { x = scope.replace(x, step(x)); await nextFrame(); }
 *   return scope.release(x);
 * });
 */
export class TensorScope {
  readonly #tracked = new Set<tf.Tensor>();

  /** Tracks every tensor in `value` and returns `value`. */
  track<T extends tf.TensorContainer>(value: T): T {
    for (const t of tensorsIn(value)) this.#tracked.add(t);
    return value;
  }

  /** Runs `fn` inside `tf.tidy` and tracks its result. */
  run<T extends tf.TensorContainer>(fn: () => T): T {
    return this.track(tf.tidy(fn));
  }

  /** Tracks `next` and disposes `previous` (unless it is the same tensor): one loop step. */
  replace<T extends tf.Tensor>(previous: tf.Tensor, next: T): T {
    this.track(next);
    if (previous !== next) {
      this.#tracked.delete(previous);
      previous.dispose();
    }
    return next;
  }

  /** Stops tracking the tensors in `value`: the caller now owns them. */
  release<T extends tf.TensorContainer>(value: T): T {
    for (const t of tensorsIn(value)) this.#tracked.delete(t);
    return value;
  }

  /** Disposes every tracked tensor. Safe to call twice. */
  dispose(): void {
    for (const t of this.#tracked) t.dispose();
    this.#tracked.clear();
  }
}

/**
 * Runs an async function with a fresh {@link TensorScope} and disposes the scope afterwards,
 * also when the function throws or is aborted. Release what you return.
 */
export async function withScope<T>(fn: (scope: TensorScope) => Promise<T>): Promise<T> {
  const scope = new TensorScope();
  try {
    return await fn(scope);
  } finally {
    scope.dispose();
  }
}

/**
 * Runs `fn` and reports how many tensors it left allocated beyond what it returned — a leak
 * check for tests and benchmarks. The returned tensors are disposed.
 */
export async function countLeakedTensors(
  fn: () => tf.TensorContainer | Promise<tf.TensorContainer>,
): Promise<number> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const returned = new Set(tensorsIn(result)).size;
  const leaked = tf.memory().numTensors - before - returned;
  tf.dispose(tensorsIn(result));
  return leaked;
}
