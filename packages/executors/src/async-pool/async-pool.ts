import { isThenable } from '@fanout/internal/thenable';
import {
  ExecutorClosedError,
  QueueFullError,
  TaskClearedError,
  type TimeoutFrom,
  TimeoutError,
} from '../errors.js';
import { mapTasks } from '../map-tasks.js';
import { taskHooks } from '../task-hooks.js';
import type {
  CloseOptions,
  Executor,
  ExecutorStats,
  TaskContext,
  TaskFunction,
  WaitForRoomOptions,
} from '../types.js';
import { EVENT_BITS, PoolEventTarget } from './pool-events.js';
import {
  type AsyncPoolOptions,
  checkConcurrency,
  checkPriority,
  checkTimeout,
  checkTimeoutFrom,
  type PoolMapOptions,
  type PoolTaskOptions,
  rateLimitOf,
} from './pool-options.js';
import { createTask, DONE, type PoolTask, QUEUED, RUNNING, type TaskExtras } from './pool-task.js';
import { PoolWaiters } from './pool-waiters.js';
import { StartWindow } from './start-window.js';
import { TaskIds } from './task-ids.js';
import { TaskQueue } from './task-queue.js';

/** Task events that need a task record, so tasks skip the record-free fast path once listened. */
const TASK_EVENTS = EVENT_BITS.active | EVENT_BITS.completed | EVENT_BITS.error;

type AnyFn = (...args: never[]) => unknown;

const now = (): number => performance.now();

/**
 * A bounded pool for async (I/O-bound) work, the counterpart of Python's
 * `ThreadPoolExecutor`, with what p-queue is used for: never more than `maxConcurrency`
 * tasks in flight (changeable at run time), the rest wait by `priority` then submission
 * order; per-task and pool-wide timeouts; pause/resume; `clear()`; a rate limit
 * (`intervalCap` starts per `interval` ms); events (it is an `EventTarget`). A task starts
 * synchronously inside `submit`/`run` when a slot is free. A plain `submit` on an idle slot
 * pays none of the options: it takes a path without a task record.
 *
 * @example
 * ```ts
 * import { AsyncPool } from '@fanout/executors';
 *
 * await using pool = new AsyncPool({ maxConcurrency: 8, timeout: 5_000 });
 * const pages = await pool.map((url: string, _i, { signal }) => fetch(url, { signal }).then((r) => r.text()), urls);
 * const urgent = await pool.run(({ signal }) => fetch(health, { signal }), { priority: 10 });
 * ```
 */
export class AsyncPool extends PoolEventTarget implements Executor {
  #maxConcurrency: number;
  readonly #maxQueue: number;
  readonly #name: string | undefined;
  readonly #timeoutMs: number;
  readonly #timeoutFrom: TimeoutFrom;
  readonly #window: StartWindow | undefined;
  readonly #queue = new TaskQueue<PoolTask>();
  #ids: TaskIds<PoolTask> | undefined;
  #queued = 0;
  #running = 0;
  #completed = 0;
  #failed = 0;
  /** How many may run now: 0 while paused. */
  #startLimit = 0;
  /** How many may start on the record-free fast path: 0 when any option is in play. */
  #fastLimit = 0;
  #paused = false;
  #pumping = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #windowTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #waiters = new PoolWaiters();

  constructor(options: AsyncPoolOptions) {
    super();
    const { maxQueue = Number.POSITIVE_INFINITY } = options;
    this.#maxConcurrency = checkConcurrency(options.maxConcurrency);
    if (!(Number.isInteger(maxQueue) || maxQueue === Number.POSITIVE_INFINITY) || maxQueue < 0) {
      throw new RangeError(`maxQueue must be a non-negative integer, got ${maxQueue}`);
    }
    this.#maxQueue = maxQueue;
    this.#name = options.name;
    this.#timeoutMs = checkTimeout(options.timeout ?? Number.POSITIVE_INFINITY);
    this.#timeoutFrom = checkTimeoutFrom(options.timeoutFrom ?? 'start');
    const rate = rateLimitOf(options);
    this.#window = rate === undefined ? undefined : new StartWindow(rate.cap, rate.interval);
    this.#refreshLimits();
  }

  /**
   * Most tasks in flight. Settable at run time: raised, queued tasks start at once (up to the
   * new limit); lowered, running tasks finish and no new task starts until fewer than the
   * new limit run.
   */
  get maxConcurrency(): number {
    return this.#maxConcurrency;
  }

  set maxConcurrency(value: number) {
    this.#maxConcurrency = checkConcurrency(value);
    this.#refreshLimits();
    this.#pump();
  }

  /** The `maxQueue` the pool was created with. */
  get maxQueue(): number {
    return this.#maxQueue;
  }

  /** The pool's `name`, if it was given one. */
  get name(): string | undefined {
    return this.#name;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True between `pause()` and `resume()`. */
  get paused(): boolean {
    return this.#paused;
  }

  /** Tasks waiting to start (`stats.queued`). */
  get size(): number {
    return this.#queued;
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
   * with `QueueFullError` when the queue is full, `ExecutorClosedError` after `close()`,
   * `TimeoutError` past the pool's `timeout`, or `TaskClearedError` if `clear()` removed it.
   *
   * @example
   * ```ts
   * const body = await pool.submit(readFile, 'a.txt', 'utf8');
   * ```
   */
  submit<A extends unknown[], R>(fn: TaskFunction<A, R>, ...args: A): Promise<Awaited<R>> {
    if (this.#running < this.#fastLimit && this.#queued === 0) {
      return this.#startNow(fn as AnyFn, args) as Promise<Awaited<R>>;
    }
    return new Promise<Awaited<R>>((resolve, reject) => {
      this.#accept(fn as AnyFn, args, resolve, reject, undefined, undefined);
    });
  }

  /**
   * Run `task(context)` in the pool with per-task options (priority, id, name, timeout,
   * signal). If `options.signal` aborts while the task is queued, the task is removed and
   * the promise rejects with `signal.reason`; once running, the task sees the abort through
   * `context.signal` and decides how to stop (the slot stays taken until it settles). An
   * already aborted signal rejects at once. Invalid options reject with a `TypeError` or
   * `RangeError` naming the option.
   *
   * @example
   * ```ts
   * const user = await pool.run(({ signal }) => getUser(id, { signal }), {
   *   name: 'getUser', priority: 5, timeout: 2_000,
   * });
   * ```
   */
  run<R>(
    task: (context: TaskContext) => R | PromiseLike<R>,
    options?: PoolTaskOptions,
  ): Promise<Awaited<R>> {
    return new Promise<Awaited<R>>((resolve, reject) => {
      const signal = options?.signal;
      if (signal?.aborted === true && !this.#closed) {
        this.#failed++;
        reject(signal.reason);
        return;
      }
      this.#accept(task as AnyFn, undefined, resolve, reject, signal, options);
    });
  }

  /**
   * Apply `fn` to every item, results in input order. Fail-fast: the first error rejects
   * the map with that error and aborts the map's other tasks (`context.signal.reason` is
   * the error). Items are pulled lazily, at most `maxConcurrency` (as it was when the map
   * began, at most 1024) of them in the pool at once, so `map` never overflows `maxQueue`
   * by itself. `priority`, `name`, `timeout` and `timeoutFrom` apply to every item's task.
   * `chunkSize` is validated and otherwise has no effect here (every item is its own task).
   */
  map<T, R>(
    fn: (item: T, index: number, context: TaskContext) => R | PromiseLike<R>,
    items: Iterable<T>,
    options?: PoolMapOptions,
  ): Promise<Awaited<R>[]> {
    const window = Math.min(this.#maxConcurrency, 1024);
    const { priority, name, timeout, timeoutFrom } = options ?? {};
    const shared = { priority, name, timeout, timeoutFrom };
    return mapTasks(
      (task, taskOptions) => this.#runWhenRoom(task, { ...shared, signal: taskOptions.signal }),
      fn,
      items,
      options,
      window,
    );
  }

  /**
   * Changes the priority of the queued tasks whose `id` is `id` (each keeps its submission
   * order among the tasks of its new priority). Returns false when no queued task has that
   * id: it already started, settled, or never existed. Throws `TypeError` on `NaN`.
   */
  setPriority(id: unknown, priority: number): boolean {
    checkPriority(priority);
    const tasks = this.#ids?.get(id);
    if (tasks === undefined) return false;
    let changed = false;
    for (const task of tasks) changed = this.#queue.setPriority(task, priority) || changed;
    return changed;
  }

  /** Stop starting tasks (running ones go on); `submit`/`run` still queue. */
  pause(): void {
    this.#paused = true;
    this.#refreshLimits();
  }

  /** Start queued tasks again after `pause()`. */
  resume(): void {
    this.#paused = false;
    this.#refreshLimits();
    this.#pump();
  }

  /**
   * Remove every queued task: each one's promise rejects with `TaskClearedError` (the
   * functions never run). Running tasks are not touched. Returns how many were removed.
   */
  clear(): number {
    const removed = this.#queue.drain();
    for (const task of removed) {
      task.state = DONE;
      this.#leaveQueue(task);
      this.#settle(task, false, new TaskClearedError(task.displayName));
    }
    this.#notify();
    return removed.length;
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
    return this.#waiters.room.wait(signal);
  }

  /**
   * Resolves when nothing is queued or running (at once if the pool is idle). A timed-out
   * task still counts as running until its function settles.
   */
  onIdle(): Promise<void> {
    if (this.#queued === 0 && this.#running === 0) return Promise.resolve();
    return this.#waiters.untilIdle();
  }

  /** Resolves when nothing is queued (at once if so); tasks may still be running. */
  onEmpty(): Promise<void> {
    return this.onSizeLessThan(1);
  }

  /**
   * Resolves once fewer than `limit` tasks are queued (at once if so already): await it
   * before submitting to keep the queue short. Rejects with `RangeError` unless `limit > 0`.
   */
  onSizeLessThan(limit: number): Promise<void> {
    if (typeof limit !== 'number' || !(limit > 0)) {
      // A queue is never smaller than 0: a limit of 0 or less would never resolve.
      return Promise.reject(new RangeError(`limit must be a number above 0, got ${String(limit)}`));
    }
    if (this.#queued < limit) return Promise.resolve();
    return this.#waiters.size.wait(limit);
  }

  /**
   * Stop accepting tasks and resolve once the queued (unless cancelled) and running tasks
   * have settled. With `cancelPending`, queued tasks reject with `ExecutorClosedError`.
   * Idempotent: later calls return the same promise (a later `cancelPending: true` still
   * cancels what is queued). Pending `waitForRoom` calls reject with `ExecutorClosedError`.
   * A paused pool is resumed, so that closing never waits forever on queued tasks.
   */
  close(options?: CloseOptions): Promise<void> {
    if (options?.cancelPending === true) this.#cancelQueued();
    if (this.#closing === undefined) {
      this.#closed = true;
      this.#waiters.room.rejectAll(
        () => new ExecutorClosedError('executor closed while waiting for room'),
      );
      this.#closing = this.onIdle();
      if (this.#paused) this.resume();
      else this.#refreshLimits();
    }
    return this.#closing;
  }

  /** `close()` for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  protected override onListen(): void {
    this.#refreshLimits();
  }

  #refreshLimits(): void {
    this.#startLimit = this.#paused ? 0 : this.#maxConcurrency;
    const plain =
      !this.#closed &&
      this.#window === undefined &&
      this.#timeoutMs === Number.POSITIVE_INFINITY &&
      (this.listened & TASK_EVENTS) === 0;
    this.#fastLimit = plain ? this.#startLimit : 0;
  }

  #runWhenRoom<R>(
    task: (context: TaskContext) => R | PromiseLike<R>,
    options: PoolTaskOptions,
  ): Promise<Awaited<R>> {
    if (this.#closed || this.#room() > 0) return this.run(task, options);
    return this.waitForRoom(options).then(() => this.#runWhenRoom(task, options));
  }

  #room(): number {
    return this.#maxConcurrency - this.#running + (this.#maxQueue - this.#queued);
  }

  /** A free slot, nothing queued ahead, and the rate limit allows a start (reserving it). */
  #canStartNow(): boolean {
    return (
      this.#running < this.#startLimit &&
      this.#queued === 0 &&
      (this.#window === undefined || this.#window.tryReserve(now()))
    );
  }

  /** Accept a task that takes the slow path: with options, or with no free slot. */
  #accept(
    fn: AnyFn,
    args: readonly unknown[] | undefined,
    resolve: (value: never) => void,
    reject: (reason: unknown) => void,
    signal: AbortSignal | undefined,
    options: PoolTaskOptions | undefined,
  ): void {
    if (this.#closed) {
      reject(new ExecutorClosedError('executor is closed: task rejected'));
      return;
    }
    let task: PoolTask;
    try {
      task = createTask(
        fn,
        args,
        resolve,
        reject,
        signal,
        options,
        this.#timeoutMs,
        this.#timeoutFrom,
      );
    } catch (error) {
      reject(error);
      return;
    }
    const startsNow = this.#canStartNow();
    if (!startsNow && this.#queued >= this.#maxQueue) {
      reject(new QueueFullError(this.#maxQueue));
      return;
    }
    const extras = task.extras;
    if (extras?.timeoutFromSubmit === true && extras.timeoutMs !== Number.POSITIVE_INFINITY) {
      extras.timer = setTimeout(this.#onTimeout, extras.timeoutMs, task);
    }
    if (startsNow) {
      this.#launch(task);
      return;
    }
    if (extras !== undefined) this.#track(task, extras);
    this.#queue.push(task);
    this.#queued++;
    this.#waiters.busy = true;
    this.#waiters.wasQueued = true;
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

  /** The fast path: start a plain task in a free slot (the caller checked) and return its outcome. */
  #startNow(fn: AnyFn, args: readonly unknown[], name?: string): Promise<unknown> {
    this.#running++;
    this.#waiters.busy = true;
    let result: unknown;
    try {
      const call = taskHooks.call;
      result = call === undefined ? fn(...(args as never[])) : call(fn, args, this.#name, name);
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

  #settled(ok: boolean): void {
    this.#running--;
    if (ok) this.#completed++;
    else this.#failed++;
    this.#pump();
  }

  /** Listen to a queued task's signal and index it by id. */
  #track(task: PoolTask, extras: TaskExtras): void {
    const signal = extras.signal;
    if (signal !== undefined) {
      extras.onAbort = () => this.#abortQueued(task);
      signal.addEventListener('abort', extras.onAbort, { once: true });
    }
    if (extras.id !== undefined) {
      this.#ids ??= new TaskIds();
      this.#ids.add(extras.id, task);
    }
  }

  /** Start a task that holds a start of the rate window (if any), then stamp that start. */
  #launch(task: PoolTask): void {
    const window = this.#window;
    if (window === undefined) {
      this.#launchNow(task);
      return;
    }
    try {
      this.#launchNow(task);
    } finally {
      window.commit(now());
    }
  }

  /** Start a task with a record (queued, or with options) and settle its promise. */
  #launchNow(task: PoolTask): void {
    task.state = RUNNING;
    const extras = task.extras;
    const timeoutMs = extras === undefined ? Number.POSITIVE_INFINITY : extras.timeoutMs;
    if (timeoutMs === Number.POSITIVE_INFINITY && (this.listened & TASK_EVENTS) === 0) {
      // Nothing to time or report: the shared settle handlers do, as on the fast path.
      this.#startNow(task.fn, task.args, extras?.name).then(
        task.resolve as (value: unknown) => void,
        task.reject,
      );
      task.state = DONE;
      return;
    }
    this.#running++;
    this.#waiters.busy = true;
    if (
      extras !== undefined &&
      timeoutMs !== Number.POSITIVE_INFINITY &&
      !extras.timeoutFromSubmit
    ) {
      extras.timer = setTimeout(this.#onTimeout, timeoutMs, task);
    }
    if ((this.listened & EVENT_BITS.active) !== 0) this.emit('active', task);
    let result: unknown;
    try {
      const call = taskHooks.call;
      result =
        call === undefined
          ? task.fn(...(task.args as never[]))
          : call(task.fn, task.args, this.#name, extras?.name);
    } catch (error) {
      this.#finish(task, false, error);
      return;
    }
    if (isThenable(result)) {
      const settled = result instanceof Promise ? result : Promise.resolve(result);
      settled.then(
        (value) => this.#finish(task, true, value),
        (error: unknown) => this.#finish(task, false, error),
      );
      return;
    }
    this.#finish(task, true, result);
  }

  /** A started task's function settled: free its slot, settle its promise unless a timeout did. */
  #finish(task: PoolTask, ok: boolean, value: unknown): void {
    this.#running--;
    task.state = DONE;
    const extras = task.extras;
    extras?.context?.release();
    if (extras?.settled !== true) this.#settle(task, ok, value);
    this.#pump();
  }

  /** Settle the caller's promise once, count it and tell the listeners. */
  #settle(task: PoolTask, ok: boolean, value: unknown): void {
    const extras = task.extras;
    if (extras !== undefined) {
      extras.settled = true;
      if (extras.timer !== undefined) {
        clearTimeout(extras.timer);
        extras.timer = undefined;
      }
    }
    if (ok) {
      this.#completed++;
      task.resolve(value as never);
      if ((this.listened & EVENT_BITS.completed) !== 0) this.emit('completed', task, value);
    } else {
      this.#failed++;
      task.reject(value);
      if ((this.listened & EVENT_BITS.error) !== 0) this.emit('error', task, value);
    }
  }

  readonly #onTimeout = (task: PoolTask): void => {
    const extras = task.extras as TaskExtras;
    extras.timer = undefined;
    if (extras.settled) return;
    const queued = task.state === QUEUED;
    const error = new TimeoutError(
      task.displayName,
      extras.timeoutMs,
      extras.timeoutFromSubmit ? 'submit' : 'start',
      queued,
    );
    if (queued) {
      task.state = DONE;
      this.#queue.remove(task);
      this.#leaveQueue(task);
      this.#settle(task, false, error);
      this.#notify();
      return;
    }
    // Running: the caller hears now; the slot is freed when the function settles.
    extras.context?.abort(error);
    this.#settle(task, false, error);
  };

  readonly #onWindowOpen = (): void => {
    this.#windowTimer = undefined;
    this.#pump();
  };

  /** Start queued tasks while slots (and the rate limit) allow; a loop, so sync tasks are safe. */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      const window = this.#window;
      while (this.#running < this.#startLimit && this.#queued > 0) {
        if (window !== undefined && !window.tryReserve(now())) {
          this.#windowTimer ??= setTimeout(
            this.#onWindowOpen,
            Math.max(1, Math.ceil(window.waitMs(now()))),
          );
          break;
        }
        const task = this.#queue.shift() as PoolTask;
        this.#leaveQueue(task);
        this.#launch(task);
      }
    } finally {
      this.#pumping = false;
    }
    this.#notify();
  }

  /** Bookkeeping of a task that left the queue (started or removed). */
  #leaveQueue(task: PoolTask): void {
    this.#queued--;
    const extras = task.extras;
    if (extras === undefined) return;
    if (extras.onAbort !== undefined) {
      extras.signal?.removeEventListener('abort', extras.onAbort);
      extras.onAbort = undefined;
    }
    if (extras.id !== undefined) this.#ids?.delete(extras.id, task);
  }

  #abortQueued(task: PoolTask): void {
    const extras = task.extras as TaskExtras;
    if (task.state !== QUEUED || extras.settled) return;
    task.state = DONE;
    this.#queue.remove(task);
    extras.onAbort = undefined;
    this.#leaveQueue(task);
    this.#settle(task, false, extras.signal?.reason);
    this.#notify();
  }

  #cancelQueued(): void {
    for (const task of this.#queue.drain()) {
      task.state = DONE;
      this.#leaveQueue(task);
      this.#settle(
        task,
        false,
        new ExecutorClosedError('task cancelled: executor closed with cancelPending'),
      );
    }
    this.#notify();
  }

  /** Wake room, size and idle waiters that can proceed; fire `empty` and `idle`. */
  #notify(): void {
    const waiters = this.#waiters;
    waiters.wakeRoom(this.#room());
    if (this.#queued > 0) {
      waiters.wakeSize(this.#queued);
      return;
    }
    if (waiters.emptied() && (this.listened & EVENT_BITS.empty) !== 0) this.emit('empty');
    if (this.#running === 0 && waiters.idled() && (this.listened & EVENT_BITS.idle) !== 0) {
      this.emit('idle');
    }
  }
}
