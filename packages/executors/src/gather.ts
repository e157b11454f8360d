import { openFanOutScope } from './fan-out-scope.js';
import { isThenable } from '@fanout/internal/thenable';

/** One input of `gather`: a started promise, or a function started with gather's signal. */
export type GatherTask<T> = PromiseLike<T> | ((signal: AbortSignal) => T | PromiseLike<T>);

/** What one gather task resolves to: a promise's value, or what a function returns, awaited. */
export type GatherResult<Task> = Task extends (signal: AbortSignal) => infer R
  ? Awaited<R>
  : Awaited<Task>;

/** The results of a list of gather tasks, each in its place with its own type. */
export type GatherResults<Tasks extends readonly unknown[]> = {
  -readonly [K in keyof Tasks]: GatherResult<Tasks[K]>;
};

/** The settled outcomes of a list of gather tasks, each in its place with its own type. */
export type GatherSettledResults<Tasks extends readonly unknown[]> = {
  -readonly [K in keyof Tasks]: PromiseSettledResult<GatherResult<Tasks[K]>>;
};

/** Options of fail-fast `gather`. */
export interface GatherOptions {
  /** Aborting rejects the gather with `signal.reason` and aborts the function tasks. */
  readonly signal?: AbortSignal;
  /** `false` (default): fail-fast. */
  readonly settle?: false;
}

/** Options of settle-all `gather`. */
export interface GatherSettledOptions {
  /** Aborting rejects the gather with `signal.reason` and aborts the function tasks. */
  readonly signal?: AbortSignal;
  /** Wait for every task and report each outcome, like `Promise.allSettled`. */
  readonly settle: true;
}

/**
 * Fan-in, the counterpart of `asyncio.gather`. Function tasks are called at once, in
 * order, with an `AbortSignal` owned by this gather; promise tasks are awaited as given.
 * Results are in input order. Given an array literal (or any tuple), each result keeps its
 * own type, as asyncio's do: `gather([async () => 1, async () => 'two'])` is a
 * `Promise<[number, string]>`; any other iterable gives `T[]`.
 *
 * Fail-fast (default): the first rejection rejects the gather with that very error, and the
 * signal handed to the function tasks aborts with that error as its reason (functions not
 * yet called are not called). With `{ settle: true }`, every task runs to the end and the
 * result is a `PromiseSettledResult` per task. In both modes, aborting `options.signal`
 * rejects the gather with `signal.reason` and aborts the tasks' signal.
 *
 * @example
 * ```ts
 * import { gather } from '@fanout/executors';
 *
 * const [user, posts] = await gather([
 *   (signal) => fetch('/user', { signal }).then((r) => r.json()),
 *   (signal) => fetch('/posts', { signal }).then((r) => r.json()),
 * ]);
 * ```
 */
export function gather<const Tasks extends readonly GatherTask<unknown>[]>(
  tasks: Tasks,
  options?: GatherOptions,
): Promise<GatherResults<Tasks>>;
export function gather<const Tasks extends readonly GatherTask<unknown>[]>(
  tasks: Tasks,
  options: GatherSettledOptions,
): Promise<GatherSettledResults<Tasks>>;
export function gather<T>(tasks: Iterable<GatherTask<T>>, options?: GatherOptions): Promise<T[]>;
export function gather<T>(
  tasks: Iterable<GatherTask<T>>,
  options: GatherSettledOptions,
): Promise<PromiseSettledResult<T>[]>;
export function gather<T>(
  tasks: Iterable<GatherTask<T>>,
  options?: GatherOptions | GatherSettledOptions,
): Promise<T[] | PromiseSettledResult<T>[]> {
  const settle = options?.settle === true;
  const outer = options?.signal;
  return new Promise((resolve, reject) => {
    const scope = openFanOutScope(outer, reject);
    if (scope.finished) return;
    const fail = (error: unknown): void => scope.fail(error);
    const values: T[] = [];
    const outcomes: PromiseSettledResult<T>[] = [];
    let pending = 0;
    let listed = false;

    const maybeDone = (): void => {
      if (listed && pending === 0 && !scope.finished) {
        scope.finish();
        resolve(settle ? outcomes : values);
      }
    };
    const onFulfilled = (index: number, value: T): void => {
      pending--;
      if (settle) outcomes[index] = { status: 'fulfilled', value };
      else values[index] = value;
      maybeDone();
    };
    const onRejected = (index: number, reason: unknown): void => {
      pending--;
      if (settle) {
        outcomes[index] = { status: 'rejected', reason };
        maybeDone();
      } else {
        fail(reason);
      }
    };

    let index = 0;
    try {
      for (const task of tasks) {
        const i = index++;
        let started: unknown;
        if (typeof task === 'function') {
          // After a fail-fast rejection there is no point in starting more work.
          if (scope.finished) continue;
          pending++;
          try {
            started = task(scope.signal);
          } catch (error) {
            onRejected(i, error);
            continue;
          }
        } else {
          pending++;
          started = task;
        }
        if (isThenable(started)) {
          Promise.resolve(started as PromiseLike<T>).then(
            (value) => onFulfilled(i, value),
            (reason: unknown) => onRejected(i, reason),
          );
        } else {
          onFulfilled(i, started as T);
        }
      }
    } catch (error) {
      // The iterable itself threw.
      fail(error);
      return;
    }
    listed = true;
    maybeDone();
  });
}
