import { availableParallelism } from 'node:os';
import type { TransferListItem } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AsyncPool } from './async-pool.js';
import { WorkerCrashedError } from './errors.js';
import { validateChunkSize } from './map-tasks.js';
import type { CloseOptions, ExecutorStats, ModuleExecutor, WaitForRoomOptions } from './types.js';
import { moduleSpecifier, runnerPath } from './worker-paths.js';
import { RUNNER_EXPORT, type RunnerMessage } from './worker/protocol.js';
import { deserializeThrown, isEnvelope } from './worker/serialize-error.js';

/**
 * V8 heap limits of a worker thread, as Node's `worker_threads.ResourceLimits` takes them
 * (declared here so the published types do not depend on one `@types/node` major).
 */
export interface WorkerResourceLimits {
  /** Most memory of the main heap, in MB. */
  readonly maxOldGenerationSizeMb?: number;
  /** Most memory of the heap space for recently created objects, in MB. */
  readonly maxYoungGenerationSizeMb?: number;
  /** Size of the pre-allocated memory range for generated code, in MB. */
  readonly codeRangeSizeMb?: number;
  /** Default most stack size of the thread, in MB. */
  readonly stackSizeMb?: number;
}

/** Options of `WorkerPool`. */
export interface WorkerPoolOptions {
  /**
   * The worker module: any ES or CommonJS module with named exports (sync or async
   * functions). A `URL` (`new URL('./work.js', import.meta.url)`), a `file:` URL string,
   * an absolute path, or a path relative to the current working directory.
   */
  readonly module: string | URL;
  /** Threads kept alive even when idle. Default: half the cores (at least 1, at most `maxThreads`). */
  readonly minThreads?: number;
  /** Most threads, i.e. most tasks running at once. Default: `os.availableParallelism()`. */
  readonly maxThreads?: number;
  /** Milliseconds an idle thread above `minThreads` lives. Default 0. */
  readonly idleTimeout?: number;
  /** Most tasks waiting for a thread; one more rejects with `QueueFullError`. Default `Infinity`. */
  readonly maxQueue?: number;
  /** V8 heap limits of each thread; a thread that exceeds them crashes (`WorkerCrashedError`). */
  readonly resourceLimits?: WorkerResourceLimits;
}

/** Options of `WorkerPool#run`. */
export interface WorkerRunOptions {
  /**
   * Aborting removes a queued task; a running task's thread is terminated (a thread cannot
   * be interrupted otherwise) and replaced. The promise rejects with `signal.reason`.
   */
  readonly signal?: AbortSignal;
  /**
   * Values moved to the worker instead of copied: `ArrayBuffer`s, `MessagePort`s, and the
   * other transferable objects of Node's `worker_threads`.
   */
  readonly transferList?: readonly object[];
}

/** Options of `WorkerPool#map`. */
export interface WorkerMapOptions {
  /** Items sent to a thread in one message. Default: automatic (about four chunks per thread, at most 1024 items). */
  readonly chunkSize?: number;
  /** Aborting rejects the map with `signal.reason` and stops its chunks. */
  readonly signal?: AbortSignal;
}

const MAX_AUTO_CHUNK = 1024;
const CHUNKS_PER_THREAD = 4;
// Long enough to never cut a running task short; piscina turns Infinity into 1 ms.
const CLOSE_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Runs named exports of a worker module on a pool of worker threads (on piscina): the
 * counterpart of Python's `ProcessPoolExecutor` for CPU-bound work. A task's error arrives
 * with its name, message, stack and `cause`; a thread that dies rejects its task with
 * `WorkerCrashedError` and is replaced. Tasks wait in FIFO order for a free thread.
 *
 * @example
 * ```ts
 * // primes.js: export function countPrimes(limit) { ... }
 * import { WorkerPool } from '@fanout/executors';
 *
 * await using pool = new WorkerPool({ module: new URL('./primes.js', import.meta.url) });
 * const one = await pool.run<number>('countPrimes', [1_000_000]);
 * const many = await pool.map<number, number>('countPrimes', [1e5, 2e5, 3e5]);
 * ```
 */
export class WorkerPool implements ModuleExecutor {
  readonly #module: string;
  readonly #piscina: Piscina;
  readonly #queue: AsyncPool;
  readonly #maxThreads: number;
  #closing: Promise<void> | undefined;

  constructor(options: WorkerPoolOptions) {
    this.#module = moduleSpecifier(options.module);
    const maxThreads = options.maxThreads ?? availableParallelism();
    if (!Number.isInteger(maxThreads) || maxThreads < 1) {
      throw new RangeError(`maxThreads must be a positive integer, got ${maxThreads}`);
    }
    const minThreads =
      options.minThreads ??
      Math.min(Math.max(Math.floor(availableParallelism() / 2), 1), maxThreads);
    if (!Number.isInteger(minThreads) || minThreads < 0 || minThreads > maxThreads) {
      throw new RangeError(
        `minThreads must be an integer from 0 to maxThreads (${maxThreads}), got ${minThreads}`,
      );
    }
    this.#maxThreads = maxThreads;
    // Our own FIFO in front of piscina: exact QueueFullError, abort of queued tasks,
    // close({ cancelPending }) and stats; piscina only ever holds running tasks.
    this.#queue = new AsyncPool({
      maxConcurrency: maxThreads,
      ...(options.maxQueue === undefined ? {} : { maxQueue: options.maxQueue }),
    });
    this.#piscina = new Piscina({
      filename: runnerPath(),
      name: RUNNER_EXPORT,
      minThreads,
      maxThreads,
      idleTimeout: options.idleTimeout ?? 0,
      closeTimeout: CLOSE_TIMEOUT_MS,
      atomics: 'async',
      ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
    });
    // Piscina reports a thread that dies between tasks as an 'error' event; with no
    // listener that would crash the process. Tasks learn about crashes through rejections.
    this.#piscina.on('error', () => {});
  }

  /** The worker module, as the URL the threads import. */
  get module(): string {
    return this.#module;
  }

  /** Threads alive now. */
  get threads(): number {
    return this.#piscina.threads.length;
  }

  /** Most threads (the `maxThreads` in effect). */
  get maxThreads(): number {
    return this.#maxThreads;
  }

  /** Share of the pool's thread capacity spent running tasks since it started, 0 to 1. */
  get utilization(): number {
    return this.#piscina.utilization;
  }

  /** Most tasks that may wait for a thread (the `maxQueue` option; `Infinity` by default). */
  get maxQueue(): number {
    return this.#queue.maxQueue;
  }

  /**
   * Resolves once `run` would not reject with `QueueFullError` (a thread or a queue place
   * is free); at once when unbounded. Rejects with `ExecutorClosedError` after `close()`,
   * `signal.reason` on abort. Not a reservation.
   */
  waitForRoom(options?: WaitForRoomOptions): Promise<void> {
    return this.#queue.waitForRoom(options);
  }

  /** Live counters: a `map` chunk counts as one task. */
  get stats(): ExecutorStats {
    return this.#queue.stats;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Call `exportName(...args)` on a worker thread. Rejects with the export's own error
   * (rebuilt: name, message, stack, cause, own props), `WorkerCrashedError` if the thread
   * died, `QueueFullError`, `ExecutorClosedError`, or `signal.reason` on abort.
   *
   * @example
   * ```ts
   * const digest = await pool.run<string>('sha256', [buffer], { transferList: [buffer.buffer] });
   * ```
   */
  run<R>(
    exportName: string,
    args: readonly unknown[] = [],
    options?: WorkerRunOptions,
  ): Promise<R> {
    const message: RunnerMessage = { module: this.#module, exportName, args };
    const signal = options?.signal;
    return this.#queue.run(
      () => this.#dispatch<R>(message, exportName, signal, options?.transferList),
      {
        ...(signal === undefined ? {} : { signal }),
      },
    );
  }

  /** `run(exportName, args)` with the arguments spread. */
  submit<R>(exportName: string, ...args: unknown[]): Promise<R> {
    return this.run<R>(exportName, args);
  }

  /**
   * Call `exportName(item)` for every item, results in input order. Items travel in chunks
   * (`chunkSize`, automatic by default) so the per-message cost is paid once per chunk.
   * Fail-fast: the first error rejects the map and aborts the other chunks (their threads
   * are terminated and replaced).
   */
  async map<T, R>(
    exportName: string,
    items: Iterable<T>,
    options?: WorkerMapOptions,
  ): Promise<R[]> {
    validateChunkSize(options?.chunkSize);
    const all = Array.from(items);
    if (all.length === 0) return [];
    const size =
      options?.chunkSize ??
      Math.min(MAX_AUTO_CHUNK, Math.ceil(all.length / (this.#maxThreads * CHUNKS_PER_THREAD)));
    const chunks: unknown[][] = [];
    for (let start = 0; start < all.length; start += size)
      chunks.push(all.slice(start, start + size));
    const results = await this.#queue.map(
      (chunk, _index, { signal }) =>
        this.#dispatch<R[]>({ module: this.#module, exportName, items: chunk }, exportName, signal),
      chunks,
      options?.signal === undefined ? {} : { signal: options.signal },
    );
    return results.flat() as R[];
  }

  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void> {
    return this.#queue.onIdle();
  }

  /**
   * Stop accepting tasks, let queued (unless `cancelPending`) and running tasks settle, then
   * stop the threads. Idempotent; a later `cancelPending: true` still cancels the queue.
   */
  close(options?: CloseOptions): Promise<void> {
    const drained = this.#queue.close(options);
    this.#closing ??= drained.then(() => this.#piscina.destroy());
    return this.#closing;
  }

  /** `close()` for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #dispatch<R>(
    message: RunnerMessage,
    exportName: string,
    signal: AbortSignal | undefined,
    transferList?: readonly object[],
  ): Promise<R> {
    try {
      return (await this.#piscina.run(message, {
        ...(signal === undefined ? {} : { signal }),
        ...(transferList === undefined ? {} : { transferList: transferList as TransferListItem[] }),
      })) as R;
    } catch (error) {
      throw this.#translate(error, exportName, signal);
    }
  }

  #translate(error: unknown, exportName: string, signal: AbortSignal | undefined): unknown {
    if (isEnvelope(error)) return deserializeThrown(error.__fanoutWorkerThrown__);
    if (signal?.aborted === true) return signal.reason;
    // Anything else piscina rejects with means the thread died under the task.
    return new WorkerCrashedError(this.#module, exportName, { cause: error });
  }
}
