import * as tf from '@tensorflow/tfjs-core';
import { whileFilterGradientUnused } from './unused-filter-gradient.js';

/** One kernel call of tfjs's gradient tape, as tfjs-core 4.x records it. */
interface TapeNode {
  readonly id: number;
  readonly kernelName: string;
  inputs: Record<string, tf.Tensor>;
  readonly outputs: tf.Tensor[];
  readonly gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
  readonly saved?: tf.Tensor[];
}

/**
 * The part of tfjs-core's engine a recorded VJP needs. Not public API: `tf.grad` itself uses it
 * (`ENGINE.gradients`), and {@link recordVjp} checks that it is there before relying on it.
 */
interface TapeEngine {
  readonly state: { gradientDepth: number; activeTape: TapeNode[] | null };
  startTape(): void;
  endTape(): void;
}

function tapeEngine(): TapeEngine | undefined {
  const engine = tf.engine() as unknown as Partial<TapeEngine>;
  const ok =
    typeof engine.startTape === 'function' &&
    typeof engine.endTape === 'function' &&
    typeof engine.state?.gradientDepth === 'number';
  return ok ? (engine as TapeEngine) : undefined;
}

/** Ids of the tensors computed from x, and the nodes that compute them. */
function fromX(tape: readonly TapeNode[], x: tf.Tensor) {
  const tensors = new Set<number>([x.id]);
  const nodes = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => tensors.has(t.id))) {
      nodes.add(node.id);
      for (const o of node.outputs) tensors.add(o.id);
    }
  }
  return { tensors, nodes };
}

/** Ids of the nodes whose outputs lead to y. */
function toY(tape: readonly TapeNode[], y: tf.Tensor): Set<number> {
  const tensors = new Set<number>([y.id]);
  const nodes = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i] as TapeNode;
    if (!node.outputs.some((o) => tensors.has(o.id))) continue;
    nodes.add(node.id);
    for (const t of Object.values(node.inputs)) tensors.add(t.id);
  }
  return nodes;
}

/**
 * The nodes on a path x → y, with their inputs pruned to those computed from x, as tfjs's own
 * `getFilteredNodesXToY` does: without the pruning, backward passes would also compute the
 * gradients of the weights (e.g. Conv2DBackpropFilter), which nobody reads.
 */
function pathXToY(tape: readonly TapeNode[], x: tf.Tensor, y: tf.Tensor): PathNode[] {
  const from = fromX(tape, x);
  const to = toY(tape, y);
  return tape
    .filter((node) => from.nodes.has(node.id) && to.has(node.id))
    .map((node) => {
      const inputs = Object.fromEntries(
        Object.entries(node.inputs).filter(([, t]) => from.tensors.has(t.id)),
      );
      return { ...node, inputs, filterUnused: filterUnused(node, inputs) };
    });
}

/**
 * Scopes of tfjs's fused convolution ops, whose custom gradient returns [dx, dFilter, dBias] for
 * its inputs 0 (x), 1 (filter), 2 (bias), computing all three whatever is needed (tfjs-core 4.x,
 * `ops/fused/conv2d.ts`, `ops/fused/depthwise_conv2d.ts`).
 */
const fusedConvScopes = new Set(['fusedConv2d__op', 'fusedDepthwiseConv2d__op']);

/** A tape node on the path x → y, and whether its filter gradient is computed for nothing. */
interface PathNode extends TapeNode {
  readonly filterUnused: boolean;
}

/** True for a fused convolution whose filter (input 1) does not depend on x. */
function filterUnused(node: TapeNode, pruned: Record<string, tf.Tensor>): boolean {
  return fusedConvScopes.has(node.kernelName) && '1' in node.inputs && !('1' in pruned);
}

/** Accumulates the gradient `dx` of tensor `id` (tfjs's `backpropagateGradients`). */
function accumulate(grads: Map<number, tf.Tensor>, id: number, dx: tf.Tensor): void {
  const current = grads.get(id);
  if (current === undefined) grads.set(id, dx);
  else {
    grads.set(id, tf.add(current, dx));
    // Freed early, as tfjs does: a long tape would otherwise hold every partial sum.
    tf.dispose([current, dx]);
  }
}

function backward(path: readonly PathNode[], y: tf.Tensor, x: tf.Tensor, dy: tf.Tensor) {
  const grads = new Map<number, tf.Tensor>([[y.id, dy]]);
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i] as PathNode;
    const gradient = node.gradient;
    if (gradient === undefined) {
      throw new Error(
        `Cannot compute gradient: gradient function not found for ${node.kernelName}.`,
      );
    }
    const dys = node.outputs.map((o) => grads.get(o.id) ?? null);
    const inputGradients = node.filterUnused
      ? whileFilterGradientUnused(() => gradient(dys))
      : gradient(dys);
    for (const [name, input] of Object.entries(node.inputs)) {
      const gradientOf = inputGradients[name];
      if (gradientOf === undefined) throw new Error(`Cannot backprop through input ${name}.`);
      // Its own scope, so the gradient function's temporaries go at once (as in tfjs).
      accumulate(grads, input.id, tf.tidy(gradientOf));
    }
  }
  const dx = grads.get(x.id);
  // A new tensor in every case: never the caller's cotangent itself (f = identity).
  return dx === undefined ? tf.zerosLike(x) : dx === dy ? tf.clone(dy) : dx;
}

/**
 * Detaches the tape the engine just recorded: the engine starts a fresh one on the next
 * gradient, and frees nothing of this one.
 */
function takeTape(engine: TapeEngine): TapeNode[] {
  const tape = engine.state.activeTape ?? [];
  engine.state.activeTape = null;
  return tape;
}

/** A forward pass recorded once, whose vector–Jacobian products can be taken many times. */
export interface RecordedVjp {
  /** f(x), owned by the caller (not freed by {@link RecordedVjp.dispose}). */
  readonly value: tf.Tensor;
  /** ∂⟨cotangent, f(x)⟩/∂x for a cotangent of f(x)'s shape (float32); a new tensor each call. */
  vjp(cotangent: tf.Tensor): tf.Tensor;
  /** Frees the tensors the tape saved for its backward passes. */
  dispose(): void;
}

/**
 * Runs `f(x)` once while recording tfjs's gradient tape and keeps the tape, so that any number of
 * backward passes reuse the one forward pass — what PyTorch's `retain_graph` gives; `tf.grad`
 * frees the tape after one pass. Every backward pass calls the same registered gradient
 * functions, in the same order, as `tf.grad` would, so the results are identical to it.
 *
 * Returns undefined where this cannot be done safely: when tfjs-core's engine lacks the tape
 * methods this relies on, or inside another gradient computation (a tape is already recording).
 * Callers then fall back to `tf.grad`.
 *
 * @param f - the function to differentiate
 * @param x - its input
 * @example
 * const rec = recordVjp(model.predict, x);
 * const g0 = rec?.vjp(tf.oneHot(tf.fill([n], 0, 'int32'), labels)); // ∂ label 0 / ∂x
 * rec?.dispose();
 */
export function recordVjp(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): RecordedVjp | undefined {
  const engine = tapeEngine();
  if (engine === undefined || engine.state.gradientDepth !== 0) return undefined;
  const freeTape = (tape: TapeNode[]) => {
    for (const node of tape) for (const t of node.saved ?? []) t.dispose();
    tape.length = 0;
  };
  engine.startTape();
  let value: tf.Tensor;
  try {
    value = tf.tidy(() => f(x));
  } catch (error) {
    engine.endTape();
    freeTape(takeTape(engine));
    throw error;
  }
  engine.endTape();
  const tape = takeTape(engine);
  const path = pathXToY(tape, x, value);
  return {
    value,
    vjp: (cotangent) => tf.tidy(() => backward(path, value, x, cotangent)),
    dispose: () => freeTape(tape),
  };
}
