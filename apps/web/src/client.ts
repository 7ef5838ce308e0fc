import type { Reply, Request } from './protocol.js';

type ReplyOf<T extends Reply['type']> = Extract<Reply, { type: T }>;

/** The reply type each request waits for. */
const answers = {
  init: 'backend',
  'load-model': 'model',
  predict: 'prediction',
  plan: 'plan',
} as const satisfies Partial<Record<Request['type'], Reply['type']>>;

type Answered = keyof typeof answers;

/**
 * The page's side of the attack worker: request/answer pairs as promises, and attack runs as a
 * promise of the result (or `undefined` when cancelled) with a progress callback.
 */
export class WorkerClient {
  private readonly worker: Worker;
  private readonly waiting = new Map<
    string,
    { ok: (r: Reply) => void; fail: (e: Error) => void }
  >();
  private onProgress: ((r: ReplyOf<'progress'>) => void) | undefined;
  /** Shared cancel flag (see the `init` request); absent when the page is not isolated. */
  readonly cancelFlag: Int32Array | undefined = globalThis.crossOriginIsolated
    ? new Int32Array(new SharedArrayBuffer(4))
    : undefined;

  constructor() {
    this.worker = new Worker(new URL('./worker/attack-worker.ts', import.meta.url), {
      type: 'module',
    });
    this.worker.onmessage = (event: MessageEvent<Reply>) => this.receive(event.data);
    this.worker.onerror = (event) => this.failAll(new Error(event.message || 'worker failed'));
  }

  private receive(reply: Reply): void {
    if (reply.type === 'progress') {
      this.onProgress?.(reply);
      return;
    }
    if (reply.type === 'error') {
      this.settle(reply.during, undefined, reply.message);
      return;
    }
    const key = reply.type === 'result' || reply.type === 'cancelled' ? 'attack' : reply.type;
    this.settle(key, reply);
  }

  private settle(key: string, reply?: Reply, message?: string): void {
    const entry = this.waiting.get(answers[key as Answered] ?? key);
    this.waiting.delete(answers[key as Answered] ?? key);
    if (entry === undefined) return;
    if (reply !== undefined) entry.ok(reply);
    else entry.fail(new Error(message ?? 'failed'));
  }

  private failAll(error: Error): void {
    for (const entry of this.waiting.values()) entry.fail(error);
    this.waiting.clear();
  }

  private wait<R extends Reply>(key: string, request: Request): Promise<R> {
    return new Promise<R>((ok, fail) => {
      this.waiting.set(key, { ok: ok as (r: Reply) => void, fail });
      this.worker.postMessage(request);
    });
  }

  /** Sends a request and resolves with the worker's answer (rejects with its error). */
  ask<T extends Answered>(
    request: Extract<Request, { type: T }>,
  ): Promise<ReplyOf<(typeof answers)[T]>> {
    return this.wait(answers[(request as Request).type as T], request);
  }

  /** Runs an attack; resolves with the result, or `undefined` once a cancel took effect. */
  async attack(
    request: Extract<Request, { type: 'attack' }>,
    onProgress: (r: ReplyOf<'progress'>) => void,
  ): Promise<ReplyOf<'result'> | undefined> {
    this.onProgress = onProgress;
    if (this.cancelFlag !== undefined) Atomics.store(this.cancelFlag, 0, 0);
    try {
      const reply = await this.wait<ReplyOf<'result'> | ReplyOf<'cancelled'>>('attack', request);
      return reply.type === 'result' ? reply : undefined;
    } finally {
      this.onProgress = undefined;
    }
  }

  /**
   * Asks the running attack to stop within one iteration. Returns false when it cannot (no shared
   * memory: the page is not cross-origin isolated); the caller then restarts the worker.
   */
  cancel(): boolean {
    if (this.cancelFlag === undefined) return false;
    Atomics.store(this.cancelFlag, 0, 1);
    this.worker.postMessage({ type: 'cancel' } satisfies Request);
    return true;
  }

  /** Ends the worker (e.g. to switch backend in a fresh one). */
  terminate(): void {
    // A run cut short by a restart is reported as cancelled, not as a failure.
    this.settle('attack', { type: 'cancelled' });
    this.failAll(new Error('worker stopped'));
    this.worker.terminate();
  }
}
