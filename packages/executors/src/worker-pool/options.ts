/** Where tasks run: `'thread'` (worker threads on piscina, the default) or `'process'` (child_process.fork). */
export type WorkerRuntime = 'thread' | 'process';

/**
 * V8 heap limits of a worker thread, as Node's `worker_threads.ResourceLimits` takes them
 * (declared here so the published types do not depend on one `@types/node` major).
 */
export interface WorkerResourceLimits {
  /** Most memory of the main heap, in MB. */
  readonly maxOldGenerationSizeMb?: number;
  /** Most memory of the heap space for recently created objects, in MB (threads only). */
  readonly maxYoungGenerationSizeMb?: number;
  /** Size of the pre-allocated memory range for generated code, in MB (threads only). */
  readonly codeRangeSizeMb?: number;
  /** Default most stack size of the thread, in MB (threads only). */
  readonly stackSizeMb?: number;
}

/** An export every worker runs once when it starts, before it takes tasks. */
export interface WorkerSetup {
  /** The export to call. */
  readonly exportName: string;
  /** Its arguments (cloned to each worker). Default none. */
  readonly args?: readonly unknown[];
}

/** Options of `WorkerPool`. */
export interface WorkerPoolOptions {
  /**
   * The worker module: any ES or CommonJS module with named exports (sync or async
   * functions). A `URL` (`new URL('./work.js', import.meta.url)`), a `file:` URL string,
   * an absolute path, or a path relative to the current working directory.
   */
  readonly module: string | URL;
  /**
   * What runs the tasks: `'thread'` (default, worker threads) or `'process'` (one child
   * process per worker, for code that must not share a process: native modules that are
   * not thread-safe, `process.chdir`, `process.exit`). Same API, errors and options; values
   * are copied (a `transferList` moves nothing) and `SharedArrayBuffer`s cannot be sent.
   */
  readonly runtime?: WorkerRuntime;
  /** Workers kept alive even when idle. Default: half the cores (at least 1, at most `maxThreads`). */
  readonly minThreads?: number;
  /** Most workers, i.e. most tasks running at once. Default: `os.availableParallelism()`. */
  readonly maxThreads?: number;
  /** Milliseconds an idle worker above `minThreads` lives. Default 0. */
  readonly idleTimeout?: number;
  /** Most tasks waiting for a worker; one more rejects with `QueueFullError`. Default `Infinity`. */
  readonly maxQueue?: number;
  /**
   * V8 heap limits of each worker; a worker that exceeds them crashes (`WorkerCrashedError`).
   * With `runtime: 'process'` only `maxOldGenerationSizeMb` applies (`--max-old-space-size`).
   */
  readonly resourceLimits?: WorkerResourceLimits;
  /**
   * Node flags of each worker (`execArgv`). Default: the parent's (`process.execArgv`), as
   * Node does. A thread accepts only the flags Node allows in workers; a worker that cannot
   * start with them fails the waiting tasks with `WorkerCrashedError`.
   */
  readonly execArgv?: readonly string[];
  /**
   * Default running-time limit of every task in ms (`Infinity`, the default, for none). A
   * task still running at its limit rejects with `TimeoutError` and its worker is ended
   * (the only way to stop code that does not look at a signal); a fresh one replaces it.
   */
  readonly timeout?: number;
  /** Replace a worker after it ran this many tasks (a `map` chunk and a broadcast call count as one). */
  readonly recycleAfterTasks?: number;
  /** Replace a worker whose used V8 heap is above this many MB after a task. */
  readonly recycleAboveHeapMb?: number;
  /**
   * Run this export on every worker as it starts (the first ones, and every replacement
   * after a crash, timeout or recycling), before it takes a task: per-worker state that
   * must always be there. If it throws, the worker is discarded; when no other worker is
   * up, the tasks waiting for one reject with `WorkerCrashedError` (cause: that error).
   */
  readonly setup?: WorkerSetup;
}

/** Options of `WorkerPool#run`. */
export interface WorkerRunOptions {
  /**
   * Aborting removes a queued task; a running task's worker is terminated (a thread cannot
   * be interrupted otherwise) and replaced. The promise rejects with `signal.reason`.
   */
  readonly signal?: AbortSignal;
  /**
   * Values moved to the worker instead of copied: `ArrayBuffer`s, `MessagePort`s, and the
   * other transferable objects of Node's `worker_threads` (ignored with `runtime: 'process'`).
   */
  readonly transferList?: readonly object[];
  /** Running-time limit of this task in ms (overrides the pool's `timeout`; `Infinity` for none). */
  readonly timeout?: number;
  /** Higher starts first among queued tasks; equal ones in submission order. Default 0. */
  readonly priority?: number;
}

/** Options of `WorkerPool#map`. */
export interface WorkerMapOptions {
  /** Items sent to a worker in one message. Default: automatic (about four chunks per worker, at most 1024 items). */
  readonly chunkSize?: number;
  /** Aborting rejects the map with `signal.reason` and stops its chunks. */
  readonly signal?: AbortSignal;
  /** Running-time limit of each chunk in ms (overrides the pool's `timeout`). */
  readonly timeout?: number;
  /** Priority of the map's chunks among queued tasks. Default 0. */
  readonly priority?: number;
}

/** Options of `WorkerPool#broadcast`. */
export interface WorkerBroadcastOptions {
  /** Aborting rejects the broadcast with `signal.reason`; workers running its call are ended and replaced. */
  readonly signal?: AbortSignal;
  /** Running-time limit of the call on each worker in ms (overrides the pool's `timeout`). */
  readonly timeout?: number;
}

/** Checks an optional positive integer option. */
export function positiveInteger(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Checks an optional positive number option. */
export function positiveNumber(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

/** Checks that every given limit is a positive number of MB. */
export function checkResourceLimits(limits: WorkerResourceLimits | undefined): void {
  if (limits === undefined) return;
  for (const [key, value] of Object.entries(limits)) {
    if (value !== undefined) positiveNumber(value as number, `resourceLimits.${key}`);
  }
}
