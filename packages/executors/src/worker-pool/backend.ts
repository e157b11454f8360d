/**
 * What `WorkerPool` needs from whatever runs its workers: threads on piscina
 * (`ThreadWorkers`) or child processes on the pool's own scheduler (`ProcessWorkers`).
 * The pool's `AsyncPool` in front of either keeps at most `maxThreads` tasks here at once
 * (priorities, `maxQueue`, aborts while queued live there).
 */
import type { CallBody, TaskBody } from '../worker/protocol.js';

/** Per-call options. */
export interface CallOptions {
  readonly signal: AbortSignal | undefined;
  readonly transferList: readonly object[] | undefined;
  /** Running-time limit in ms; `Infinity` for none. */
  readonly timeoutMs: number;
}

/** What both backends keep of a call in flight, as far as settling it goes. */
export interface SettleableCall {
  readonly options: CallOptions;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  onAbort: (() => void) | undefined;
  done: boolean;
}

/**
 * Settles a call once (later settlements are ignored): its timeout cleared, its abort
 * listener removed, then resolved with `value` or rejected with it.
 */
export function settleCall(call: SettleableCall, ok: boolean, value: unknown): void {
  if (call.done) return;
  call.done = true;
  if (call.timer !== undefined) clearTimeout(call.timer);
  call.timer = undefined;
  if (call.onAbort !== undefined) call.options.signal?.removeEventListener('abort', call.onAbort);
  if (ok) call.resolve(value);
  else call.reject(value);
}

export interface WorkerBackend {
  /** Workers alive or starting. */
  readonly count: number;
  /** Share of the workers' capacity spent running tasks since the pool started, 0 to 1. */
  readonly utilization: number;
  /** Runs `body` on the first free worker. */
  dispatch(body: TaskBody, options: CallOptions): Promise<unknown>;
  /** Runs `body` once on every worker (starting them up to `maxThreads`), results in worker start order. */
  broadcast(body: CallBody, options: CallOptions): Promise<unknown[]>;
  /** Ends every worker (the pool drained first) and resolves once all have exited. */
  close(): Promise<void>;
}
