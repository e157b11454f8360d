import { availableParallelism } from 'node:os';
import { AsyncPool } from '../async-pool/async-pool.js';
import { checkTimeout } from '../async-pool/pool-options.js';
import { ExecutorClosedError } from '../errors.js';
import { validateChunkSize } from '../map-tasks.js';
import type { CloseOptions, ExecutorStats, ModuleExecutor, WaitForRoomOptions } from '../types.js';
import type { TaskBody } from '../worker/protocol.js';
import { moduleSpecifier } from '../worker-paths.js';
import {
  checkResourceLimits,
  positiveInteger,
  positiveNumber,
  type WorkerBroadcastOptions,
  type WorkerMapOptions,
  type WorkerPoolOptions,
  type WorkerRunOptions,
  type WorkerRuntime,
} from './options.js';
import type { WorkerBackend } from './backend.js';
import { processFlags } from './process-handle.js';
import { ProcessWorkers } from './process-workers.js';
import { ThreadWorkers } from './thread-workers.js';

/** `setup.args`, checked to be cloneable (every worker gets a copy). */
function cloneableArgs(args: readonly unknown[]): unknown[] {
  try {
    return structuredClone([...args]);
  } catch (error) {
    throw new TypeError('setup.args must be cloneable (each worker gets a structured clone)', {
      cause: error,
    });
  }
}

const MAX_AUTO_CHUNK = 1024;
const CHUNKS_PER_THREAD = 4;
const MB = 1024 * 1024;

/**
 * Runs named exports of a worker module on a pool of worker threads (or child processes,
 * `runtime: 'process'`): the counterpart of Python's `ProcessPoolExecutor` for CPU-bound
 * work. A task's error arrives with its name, message, stack and `cause`; a worker that
 * dies rejects its task with `WorkerCrashedError` and is replaced. Tasks wait by priority,
 * then in FIFO order, for a free worker. A task that runs past its `timeout` rejects with
 * `TimeoutError` and its worker is ended and replaced; workers can be recycled after N
 * tasks or above a heap size, and `broadcast` runs a function on every worker.
 *
 * @example
 * ```ts
 * // primes.js: export function countPrimes(limit) { ... }
 * import { WorkerPool } from '@fanout/executors';
 *
 * await using pool = new WorkerPool({ module: new URL('./primes.js', import.meta.url), timeout: 10_000 });
 * const one = await pool.run<number>('countPrimes', [1_000_000]);
 * const many = await pool.map<number, number>('countPrimes', [1e5, 2e5, 3e5]);
 * ```
 */
export class WorkerPool implements ModuleExecutor {
  readonly #module: string;
  readonly #runtime: WorkerRuntime;
  readonly #workers: WorkerBackend;
  readonly #queue: AsyncPool;
  readonly #maxThreads: number;
  readonly #timeoutMs: number;
  readonly #broadcasts = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;

  constructor(options: WorkerPoolOptions) {
    this.#module = moduleSpecifier(options.module);
    const runtime = options.runtime ?? 'thread';
    if (runtime !== 'thread' && runtime !== 'process') {
      throw new RangeError(`runtime must be 'thread' or 'process', got ${String(runtime)}`);
    }
    this.#runtime = runtime;
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
    const idleTimeout = options.idleTimeout ?? 0;
    if (!(idleTimeout >= 0) || !Number.isFinite(idleTimeout)) {
      throw new RangeError(`idleTimeout must be a number of milliseconds >= 0, got ${idleTimeout}`);
    }
    this.#timeoutMs = checkTimeout(options.timeout ?? Number.POSITIVE_INFINITY);
    const recycleAfterTasks = positiveInteger(options.recycleAfterTasks, 'recycleAfterTasks');
    const recycleAboveHeapMb = positiveNumber(options.recycleAboveHeapMb, 'recycleAboveHeapMb');
    checkResourceLimits(options.resourceLimits);
    const { execArgv } = options;
    if (
      execArgv !== undefined &&
      (!Array.isArray(execArgv) || !execArgv.every((a) => typeof a === 'string'))
    ) {
      throw new TypeError('execArgv must be an array of strings');
    }
    if (runtime === 'process') processFlags(options.resourceLimits);
    const setup = options.setup;
    if (setup !== undefined && typeof setup.exportName !== 'string') {
      throw new TypeError('setup.exportName must be the name of an export');
    }
    const setupCall =
      setup === undefined
        ? undefined
        : { exportName: setup.exportName, args: cloneableArgs(setup.args ?? []) };
    this.#maxThreads = maxThreads;
    // Our own queue in front of the workers: priorities, exact QueueFullError, abort of
    // queued tasks, close({ cancelPending }) and stats; the workers only hold running tasks.
    this.#queue = new AsyncPool({
      maxConcurrency: maxThreads,
      ...(options.maxQueue === undefined ? {} : { maxQueue: options.maxQueue }),
    });
    const recycleAfter = recycleAfterTasks ?? Number.POSITIVE_INFINITY;
    const recycleAboveHeapBytes =
      recycleAboveHeapMb === undefined ? Number.POSITIVE_INFINITY : recycleAboveHeapMb * MB;
    const workers = {
      resourceLimits: options.resourceLimits,
      execArgv: execArgv === undefined ? undefined : [...execArgv],
      minThreads,
      maxThreads,
      idleTimeout,
    };
    this.#workers =
      runtime === 'process'
        ? new ProcessWorkers({
            ...workers,
            init: {
              module: this.#module,
              setup: setupCall,
              reportHeap: recycleAboveHeapMb !== undefined,
            },
            recycleAfterTasks: recycleAfter,
            recycleAboveHeapBytes,
          })
        : new ThreadWorkers({
            ...workers,
            init: {
              module: this.#module,
              setup: setupCall,
              recycleAfterTasks: recycleAfter,
              recycleAboveHeapBytes,
            },
          });
  }

  /** The worker module, as the URL the workers import. */
  get module(): string {
    return this.#module;
  }

  /** `'thread'` or `'process'`. */
  get runtime(): WorkerRuntime {
    return this.#runtime;
  }

  /** Workers alive now (starting, idle or busy). */
  get threads(): number {
    return this.#workers.count;
  }

  /** Most workers (the `maxThreads` in effect). */
  get maxThreads(): number {
    return this.#maxThreads;
  }

  /** Share of the pool's worker capacity spent running tasks since it started, 0 to 1. */
  get utilization(): number {
    return this.#workers.utilization;
  }

  /** Most tasks that may wait for a worker (the `maxQueue` option; `Infinity` by default). */
  get maxQueue(): number {
    return this.#queue.maxQueue;
  }

  /**
   * Resolves once `run` would not reject with `QueueFullError` (a worker or a queue place
   * is free); at once when unbounded. Rejects with `ExecutorClosedError` after `close()`,
   * `signal.reason` on abort. Not a reservation.
   */
  waitForRoom(options?: WaitForRoomOptions): Promise<void> {
    return this.#queue.waitForRoom(options);
  }

  /** Live counters: a `map` chunk counts as one task; broadcast calls are not counted. */
  get stats(): ExecutorStats {
    return this.#queue.stats;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Call `exportName(...args)` on a worker. Rejects with the export's own error (rebuilt:
   * name, message, stack, cause, own props), `WorkerCrashedError` if the worker died,
   * `TimeoutError` past `timeout` (the worker is ended), `QueueFullError`,
   * `ExecutorClosedError`, or `signal.reason` on abort.
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
    let timeoutMs: number;
    try {
      timeoutMs = this.#taskTimeout(options?.timeout);
    } catch (error) {
      return Promise.reject(error);
    }
    const body: TaskBody = { t: 'call', exportName, args };
    const transferList = options?.transferList;
    return this.#queue.run(
      ({ signal }) =>
        this.#workers.dispatch(body, { signal, transferList, timeoutMs }) as Promise<R>,
      {
        ...(options?.signal === undefined ? {} : { signal: options.signal }),
        ...(options?.priority === undefined ? {} : { priority: options.priority }),
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
   * Fail-fast: the first error rejects the map and aborts the other chunks (their workers
   * are terminated and replaced). `timeout` limits each chunk.
   */
  async map<T, R>(
    exportName: string,
    items: Iterable<T>,
    options?: WorkerMapOptions,
  ): Promise<R[]> {
    validateChunkSize(options?.chunkSize);
    const timeoutMs = this.#taskTimeout(options?.timeout);
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
        this.#workers.dispatch(
          { t: 'chunk', exportName, items: chunk },
          { signal, transferList: undefined, timeoutMs },
        ) as Promise<R[]>,
      chunks,
      {
        ...(options?.signal === undefined ? {} : { signal: options.signal }),
        ...(options?.priority === undefined ? {} : { priority: options.priority }),
      },
    );
    return results.flat() as R[];
  }

  /**
   * Call `exportName(...args)` once on every worker (setup, cache warm-up, broadcast of new
   * state) and get each result, in worker start order. Workers missing up to `maxThreads`
   * are started first, so it reaches all the pool can have; each runs the call after its
   * current task, before any queued one. State every worker needs, including replacements
   * started later (after a crash, timeout, recycling, or `idleTimeout`), belongs in the
   * `setup` option instead. Rejects with the first call's error (once all calls settled),
   * `WorkerCrashedError` if a worker died under it, `TimeoutError` past `timeout`.
   *
   * @example
   * ```ts
   * const loaded = await pool.broadcast<number>('loadDictionary', ['/srv/words.txt']);
   * console.log(`${loaded.length} workers ready`);
   * ```
   */
  broadcast<R>(
    exportName: string,
    args: readonly unknown[] = [],
    options?: WorkerBroadcastOptions,
  ): Promise<R[]> {
    if (this.#closing !== undefined) {
      return Promise.reject(new ExecutorClosedError('executor is closed: broadcast rejected'));
    }
    let timeoutMs: number;
    try {
      timeoutMs = this.#taskTimeout(options?.timeout);
    } catch (error) {
      return Promise.reject(error);
    }
    const running = this.#workers.broadcast(
      { t: 'call', exportName, args },
      { signal: options?.signal, transferList: undefined, timeoutMs },
    ) as Promise<R[]>;
    const tracked = running.catch(() => {});
    this.#broadcasts.add(tracked);
    void tracked.then(() => this.#broadcasts.delete(tracked));
    return running;
  }

  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void> {
    return this.#queue.onIdle();
  }

  /**
   * Stop accepting tasks, let queued (unless `cancelPending`) and running tasks and
   * broadcasts settle, then end the workers. Idempotent; a later `cancelPending: true`
   * still cancels the queue.
   */
  close(options?: CloseOptions): Promise<void> {
    const drained = this.#queue.close(options);
    this.#closing ??= drained
      .then(() => Promise.all(this.#broadcasts))
      .then(() => this.#workers.close());
    return this.#closing;
  }

  /** `close()` for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #taskTimeout(timeout: number | undefined): number {
    return timeout === undefined ? this.#timeoutMs : checkTimeout(timeout);
  }
}
