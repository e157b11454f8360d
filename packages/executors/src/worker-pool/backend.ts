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
