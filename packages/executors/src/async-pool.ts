import { ExecutorClosedError, QueueFullError } from './errors.js';
import { mapTasks } from './map-tasks.js';
import { Fifo } from './queue.js';
import { RoomWaiters } from './room-waiters.js';
import { isThenable } from '@fanout/internal/thenable';
import { contextFor } from './task-context.js';
import type {
  CloseOptions,
  Executor,
  ExecutorStats,
  MapOptions,
  TaskContext,
  TaskFunction,
  TaskOptions,
  WaitForRoomOptions,
} from './types.js';

/** Options of `AsyncPool`. */
export interface AsyncPoolOptions {
  /** Most tasks in flight at once (a positive integer, or `Infinity`). */
  readonly maxConcurrency: number;
  /**
   * Most tasks waiting for a slot; one more rejects with `QueueFullError`.
   * Default `Infinity`. `0` accepts a task only when a slot is free.
   */
  readonly maxQueue?: number;
}

interface QueuedTask {
  readonly fn: (...args: never[]) => unknown;
  readonly args: readonly unknown[];
  readonly resolve: (value: never) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  cancelled: boolean;
}

/**
 * A bounded pool for async (I/O-bound) work, the counterpart of Python's
 * `ThreadPoolExecutor`: never more than `maxConcurrency` tasks in flight, the rest wait in
 * FIFO order. A task starts synchronously inside `submit`/`run` when a slot is free.
 *
 * @example
 * ```ts
 * import { AsyncPool } from '@fanout/executors';
 *
 * await using pool = new AsyncPool({ maxConcurrency: 8 });
 * const pages = await pool.map((url: string) => fetch(url).then((r) => r.text()), urls);
 * ```
 */
export class AsyncPool implements Executor {
  readonly #maxConcurrency: number;
  readonly #maxQueue: number;
  readonly #queue = new Fifo<QueuedTask>();
  #queued = 0;
  #running = 0;
  #completed = 0;
  #failed = 0;
  #pumping = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  readonly #roomWaiters = new RoomWaiters();
  #idleWaiters: (() => void)[] = [];

  constructor(options: AsyncPoolOptions) {
    const { maxConcurrency, maxQueue = Number.POSITIVE_INFINITY } = options;
    if (!(Number.isInteger(maxConcurrency) || maxConcurrency === Number.POSITIVE_INFINITY)) {
      throw new RangeError(`maxConcurrency must be a positive integer, got ${maxConcurrency}`);
    }
    if (maxConcurrency < 1) {
      throw new RangeError(`maxConcurrency must be a positive integer, got ${maxConcurrency}`);
    }
    if (!(Number.isInteger(maxQueue) || maxQueue === Number.POSITIVE_INFINITY) || maxQueue < 0) {
      throw new RangeError(`maxQueue must be a non-negative integer, got ${maxQueue}`);
    }
    this.#maxConcurrency = maxConcurrency;
    this.#maxQueue = maxQueue;
  }

  /** The `maxConcurrency` the pool was created with. */
  get maxConcurrency(): number {
    return this.#maxConcurrency;
  }

  /** The `maxQueue` the pool was created with. */
  get maxQueue(): number {
    return this.#maxQueue;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Live counters (a fresh snapshot on every read). */
  get stats(): ExecutorStats {
    return {
      queued: this.#queued,
      running: this.#running,
      completed: this.#completed,
      failed: this.#failed,
    };
  }

  /**
   * Run `fn(...args)` in the pool. Rejects with the very error `fn` threw or rejected with,
   * with `QueueFullError` when the queue is full, or `ExecutorClosedError` after `close()`.
   *
   * @example
   * ```ts
   * const body = await pool.submit(readFile, 'a.txt', 'utf8');
   * ```
   */
  submit<A extends unknown[], R>(fn: TaskFunction<A, R>, ...args: A): Promise<Awaited<R>> {
    if (!this.#closed && this.#running < this.#maxConcurrency && this.#queued === 0) {
      return this.#startNow(fn, args) as Promise<Awaited<R>>;
    }
    return new Promise<Awaited<R>>((resolve, reject) => {
      this.#accept(fn as (...a: never[]) => unknown, args, resolve, reject, undefined);
    });
  }

  /**
   * Run `task(context)` in the pool. If `options.signal` aborts while the task is queued,
   * the task is removed and the promise rejects with `signal.reason`; once running, the
   * task sees the abort through `context.signal` and decides how to stop (the slot stays
   * taken until it settles). An already aborted signal rejects at once.
   */
  run<R>(
    task: (context: TaskContext) => R | PromiseLike<R>,
    options?: TaskOptions,
  ): Promise<Awaited<R>> {
    const signal = options?.signal;
    return new Promise<Awaited<R>>((resolve, reject) => {
      if (signal?.aborted === true && !this.#closed) {
        this.#failed++;
        reject(signal.reason);
        return;
      }
      const args = [contextFor(signal)];
      this.#accept(task as (...a: never[]) => unknown, args, resolve, reject, signal);
    });
  }

  /**
   * Apply `fn` to every item, results in input order. Fail-fast: the first error rejects
   * the map with that error and aborts the map's other tasks (`context.signal.reason` is
   * the error). Items are pulled lazily, at most `maxConcurrency` of them in the pool at
   * once, so `map` never overflows `maxQueue` by itself. `chunkSize` is validated and
   * otherwise has no effect here (every item is its own task).
   */
  map<T, R>(
    fn: (item: T, index: number, context: TaskContext) => R | PromiseLike<R>,
    items: Iterable<T>,
    options?: MapOptions,
  ): Promise<Awaited<R>[]> {
    const window = Math.min(this.#maxConcurrency, 1024);
    return mapTasks(
      (task, taskOptions) => this.#runWhenRoom(task, taskOptions),
      fn,
      items,
      options,
      window,
    );
  }

  /**
   * Resolves when `submit` would not reject with `QueueFullError` (a slot or a queue place
   * is free). Not a reservation: with several producers, one may take the room first.
   * Rejects with `ExecutorClosedError` once the pool is closed, or `signal.reason` on abort.
   *
   * @example
   * ```ts
   * for await (const line of lines) {
   *   await pool.waitForRoom();
   *   pool.submit(handle, line).catch(report);
   * }
   * ```
   */
  waitForRoom(options?: WaitForRoomOptions): Promise<void> {
    const signal = options?.signal;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    if (this.#closed) {
      return Promise.reject(
        new ExecutorClosedError('executor is closed: no room will become free'),
      );
    }
    if (this.#room() > 0) return Promise.resolve();
    return this.#roomWaiters.wait(signal);
  }

  /** Resolves when nothing is queued or running (at once if the pool is idle). */
  onIdle(): Promise<void> {
    if (this.#queued === 0 && this.#running === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#idleWaiters.push(resolve);
    });
  }

  /**
   * Stop accepting tasks and resolve once the queued (unless cancelled) and running tasks
   * have settled. With `cancelPending`, queued tasks reject with `ExecutorClosedError`.
   * Idempotent: later calls return the same promise (a later `cancelPending: true` still
   * cancels what is queued). Pending `waitForRoom` calls reject with `ExecutorClosedError`.
   */
  close(options?: CloseOptions): Promise<void> {
    if (options?.cancelPending === true) this.#cancelQueued();
    if (this.#closing === undefined) {
      this.#closed = true;
      this.#roomWaiters.rejectAll(
        () => new ExecutorClosedError('executor closed while waiting for room'),
      );
      this.#closing = this.onIdle();
    }
    return this.#closing;
  }

  /** `close()` for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #runWhenRoom<R>(
    task: (context: TaskContext) => R | PromiseLike<R>,
    options: TaskOptions,
  ): Promise<Awaited<R>> {
    if (this.#closed || this.#room() > 0) return this.run(task, options);
    return this.waitForRoom(options).then(() => this.#runWhenRoom(task, options));
  }

  #room(): number {
    return this.#maxConcurrency - this.#running + (this.#maxQueue - this.#queued);
  }

  #accept(
    fn: (...args: never[]) => unknown,
    args: readonly unknown[],
    resolve: (value: never) => void,
    reject: (reason: unknown) => void,
    signal: AbortSignal | undefined,
  ): void {
    if (this.#closed) {
      reject(new ExecutorClosedError('executor is closed: task rejected'));
      return;
    }
    if (this.#running < this.#maxConcurrency && this.#queued === 0) {
      this.#start(fn, args, resolve, reject);
      return;
    }
    if (this.#queued >= this.#maxQueue) {
      reject(new QueueFullError(this.#maxQueue));
      return;
    }
    const task: QueuedTask = {
      fn,
      args,
      resolve,
      reject,
      signal,
      onAbort: undefined,
      cancelled: false,
    };
    if (signal !== undefined) {
      task.onAbort = () => this.#abortQueued(task);
      signal.addEventListener('abort', task.onAbort, { once: true });
    }
    this.#queue.push(task);
    this.#queued++;
    this.#pump();
  }

  // Shared settle handlers of the tasks started by `#startNow`: chaining the task's own
  // promise through them costs one promise per task, not a deferred plus two closures.
  readonly #onTaskFulfilled = (value: unknown): unknown => {
    this.#settled(true);
    return value;
  };

  readonly #onTaskRejected = (error: unknown): never => {
    this.#settled(false);
    throw error;
  };

  /** Start a task in a free slot (the caller checked) and return its outcome. */
  #startNow(fn: (...args: never[]) => unknown, args: readonly unknown[]): Promise<unknown> {
    this.#running++;
    let result: unknown;
    try {
      result = fn(...(args as never[]));
    } catch (error) {
      this.#settled(false);
      return Promise.reject(error);
    }
    if (result instanceof Promise) return result.then(this.#onTaskFulfilled, this.#onTaskRejected);
    if (isThenable(result)) {
      return Promise.resolve(result).then(this.#onTaskFulfilled, this.#onTaskRejected);
    }
    this.#settled(true);
    return Promise.resolve(result);
  }

  /** Start a task that waited (in the queue, or behind `run`'s deferred) and settle its deferred. */
  #start(
    fn: (...args: never[]) => unknown,
    args: readonly unknown[],
    resolve: (value: never) => void,
    reject: (reason: unknown) => void,
  ): void {
    this.#startNow(fn, args).then(resolve as (value: unknown) => void, reject);
  }

  #settled(ok: boolean): void {
    this.#running--;
    if (ok) this.#completed++;
    else this.#failed++;
    this.#pump();
  }

  /** Start queued tasks while slots are free; a loop, not recursion, so sync tasks are safe. */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#running < this.#maxConcurrency) {
        const task = this.#queue.shift();
        if (task === undefined) break;
        if (task.cancelled) continue;
        this.#queued--;
        if (task.onAbort !== undefined) task.signal?.removeEventListener('abort', task.onAbort);
        this.#start(task.fn, task.args, task.resolve, task.reject);
      }
    } finally {
      this.#pumping = false;
    }
    this.#notify();
  }

  #abortQueued(task: QueuedTask): void {
    if (task.cancelled) return;
    task.cancelled = true;
    this.#queued--;
    this.#failed++;
    task.reject(task.signal?.reason);
    this.#notify();
  }

  #cancelQueued(): void {
    for (const task of this.#queue.drain()) {
      if (task.cancelled) continue;
      task.cancelled = true;
      if (task.onAbort !== undefined) task.signal?.removeEventListener('abort', task.onAbort);
      this.#queued--;
      this.#failed++;
      task.reject(new ExecutorClosedError('task cancelled: executor closed with cancelPending'));
    }
    this.#notify();
  }

  /** Wake room and idle waiters that can proceed. */
  #notify(): void {
    if (this.#roomWaiters.length > 0) this.#roomWaiters.wake(this.#room());
    if (this.#idleWaiters.length > 0 && this.#queued === 0 && this.#running === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
