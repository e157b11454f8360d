import { AsyncPool } from './async-pool/async-pool.js';
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

/**
 * Runs one task at a time, in submission order: the serial baseline to compare pools
 * against, and a drop-in executor where work must not overlap. Same semantics as an
 * `AsyncPool` with `maxConcurrency: 1` and an unbounded queue.
 *
 * @example
 * ```ts
 * import { InlineExecutor } from '@fanout/executors';
 *
 * await using serial = new InlineExecutor();
 * const sizes = await serial.map((path: string) => stat(path).then((s) => s.size), paths);
 * ```
 */
export class InlineExecutor implements Executor {
  readonly #pool = new AsyncPool({ maxConcurrency: 1 });

  /** Live counters (a fresh snapshot on every read). */
  get stats(): ExecutorStats {
    return this.#pool.stats;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#pool.closed;
  }

  /** Run `fn(...args)` after every task submitted before it; rejects with its own error. */
  submit<A extends unknown[], R>(fn: TaskFunction<A, R>, ...args: A): Promise<Awaited<R>> {
    return this.#pool.submit(fn, ...args);
  }

  /** Run `task(context)`; a queued task is removed when `options.signal` aborts. */
  run<R>(
    task: (context: TaskContext) => R | PromiseLike<R>,
    options?: TaskOptions,
  ): Promise<Awaited<R>> {
    return this.#pool.run(task, options);
  }

  /** Apply `fn` to the items one after another; fail-fast; results in input order. */
  map<T, R>(
    fn: (item: T, index: number, context: TaskContext) => R | PromiseLike<R>,
    items: Iterable<T>,
    options?: MapOptions,
  ): Promise<Awaited<R>[]> {
    return this.#pool.map(fn, items, options);
  }

  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void> {
    return this.#pool.onIdle();
  }

  /** The queue is unbounded: `Infinity`. */
  get maxQueue(): number {
    return this.#pool.maxQueue;
  }

  /** Resolves at once (the queue is unbounded); rejects after `close()` or on abort. */
  waitForRoom(options?: WaitForRoomOptions): Promise<void> {
    return this.#pool.waitForRoom(options);
  }

  /** Stop accepting tasks; see `AsyncPool#close`. Idempotent. */
  close(options?: CloseOptions): Promise<void> {
    return this.#pool.close(options);
  }

  /** `close()` for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
