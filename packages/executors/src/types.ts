/**
 * Shared contract of every in-process executor (`InlineExecutor`, `AsyncPool`).
 * `WorkerPool` mirrors it with export names instead of functions, since functions cannot
 * cross a thread boundary.
 */

/** Counters every executor keeps. A snapshot: reading it twice may give different values. */
export interface ExecutorStats {
  /** Tasks accepted but not started. */
  readonly queued: number;
  /** Tasks started and not settled. */
  readonly running: number;
  /** Tasks that fulfilled. */
  readonly completed: number;
  /** Tasks that rejected (including aborted and cancelled ones). */
  readonly failed: number;
}

/** What a task receives when it is started through `run` or `map`. */
export interface TaskContext {
  /** Aborted when the caller's signal aborts or the executor cancels the task. */
  readonly signal: AbortSignal;
}

/** Options of one task. */
export interface TaskOptions {
  /**
   * Aborting removes the task if it is still queued (its promise rejects with
   * `signal.reason`) and is forwarded to the task through `TaskContext.signal` if running.
   */
  readonly signal?: AbortSignal;
}

/** Options of `map`. */
export interface MapOptions extends TaskOptions {
  /**
   * Items handed to one task. Helps where per-task cost dominates (worker pools);
   * in-process executors accept it and keep results identical.
   */
  readonly chunkSize?: number;
}

/** Options of `close`. */
export interface CloseOptions {
  /**
   * Like Python's `shutdown(cancel_futures=True)`: queued tasks reject with
   * `ExecutorClosedError`; running tasks still finish. Default false: queued tasks run.
   */
  readonly cancelPending?: boolean;
}

/** Options of `waitForRoom`. */
export interface WaitForRoomOptions {
  /** Stop waiting: the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** A function an executor can run: sync or async. */
export type TaskFunction<A extends unknown[], R> = (...args: A) => R | PromiseLike<R>;

/** The interface shared by in-process executors. */
export interface Executor extends AsyncDisposable {
  /**
   * Fan out one call. The promise settles with the call's result or rejects with the very
   * error it threw (same instance).
   */
  submit<A extends unknown[], R>(fn: TaskFunction<A, R>, ...args: A): Promise<Awaited<R>>;
  /** Like `submit`, but the task receives a `TaskContext` and honours `options.signal`. */
  run<R>(
    task: (context: TaskContext) => R | PromiseLike<R>,
    options?: TaskOptions,
  ): Promise<Awaited<R>>;
  /**
   * Apply `fn` to every item, results in input order. Fail-fast: the first error rejects
   * the whole map and aborts the tasks still queued or running.
   */
  map<T, R>(
    fn: (item: T, index: number, context: TaskContext) => R | PromiseLike<R>,
    items: Iterable<T>,
    options?: MapOptions,
  ): Promise<Awaited<R>[]>;
  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void>;
  /**
   * Resolves once a task submitted now would be accepted (start or queue) rather than
   * rejected with `QueueFullError`; at once when the queue is unbounded. Rejects with
   * `ExecutorClosedError` after `close()` and with `signal.reason` on abort. Lets a producer
   * feed a bounded executor without overflowing it (backpressure).
   */
  waitForRoom(options?: WaitForRoomOptions): Promise<void>;
  /** Most tasks that may wait for a slot (`Infinity` when unbounded). */
  readonly maxQueue: number;
  /** Live counters. */
  readonly stats: ExecutorStats;
  /** Stop accepting work and wait for running tasks. Idempotent. */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * The interface of executors that run named exports of a worker module instead of
 * functions (functions cannot cross a thread or a machine): `WorkerPool` here, and
 * `QueueExecutor` of `@fanout/queue` across machines. Code written against it moves from
 * one to the other by changing the constructor.
 */
export interface ModuleExecutor extends AsyncDisposable {
  /** Calls `exportName(...args)`; rejects with the export's own error, rebuilt. */
  run<R>(exportName: string, args?: readonly unknown[], options?: TaskOptions): Promise<R>;
  /** `run(exportName, args)` with the arguments spread. */
  submit<R>(exportName: string, ...args: unknown[]): Promise<R>;
  /** Calls `exportName(item)` for every item, results in input order, fail-fast. */
  map<T, R>(exportName: string, items: Iterable<T>, options?: MapOptions): Promise<R[]>;
  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void>;
  /** Resolves once a task submitted now would not be refused with `QueueFullError`. */
  waitForRoom(options?: WaitForRoomOptions): Promise<void>;
  /** Most tasks that may wait (`Infinity` when unbounded). */
  readonly maxQueue: number;
  /** Live counters. */
  readonly stats: ExecutorStats;
  /** True once `close()` was called. */
  readonly closed: boolean;
  /** Stop accepting work and wait for what was accepted. Idempotent. */
  close(options?: CloseOptions): Promise<void>;
}
