import { openFanOutScope } from './fan-out-scope.js';
import type { MapOptions, TaskContext, TaskOptions } from './types.js';

/** Starts one task on an executor; the shape of `Executor#run`. */
export type RunTask = <R>(
  task: (context: TaskContext) => R | PromiseLike<R>,
  options: TaskOptions,
) => Promise<Awaited<R>>;

/** Rejects unless `chunkSize` is absent or a positive integer. */
export function validateChunkSize(chunkSize: number | undefined): void {
  if (chunkSize === undefined) return;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be a positive integer, got ${String(chunkSize)}`);
  }
}

/**
 * Ordered, fail-fast map over an executor. Items are pulled lazily and at most `window`
 * of them are handed to the executor at once, so a huge (or endless-until-failure)
 * iterable never floods the executor's queue. The first error rejects the map, stops
 * pulling items and aborts the map's tasks (the error is the abort reason).
 */
export function mapTasks<T, R>(
  run: RunTask,
  fn: (item: T, index: number, context: TaskContext) => R | PromiseLike<R>,
  items: Iterable<T>,
  options: MapOptions | undefined,
  window: number,
): Promise<Awaited<R>[]> {
  return new Promise<Awaited<R>[]>((resolve, reject) => {
    validateChunkSize(options?.chunkSize);
    let iterator: Iterator<T> | undefined;
    let exhausted = false;
    const scope = openFanOutScope(options?.signal, reject, () => {
      if (exhausted) return;
      exhausted = true;
      // Let a generator run its `finally` blocks.
      try {
        iterator?.return?.();
      } catch {
        // The map already failed; a cleanup failure must not replace its error.
      }
    });
    if (scope.finished) return;
    const fail = (error: unknown): void => scope.fail(error);
    let source: Iterator<T>;
    try {
      source = items[Symbol.iterator]();
    } catch (error) {
      exhausted = true;
      scope.fail(error);
      return;
    }
    iterator = source;
    const results: Awaited<R>[] = [];
    let nextIndex = 0;
    let inFlight = 0;

    const feed = (): void => {
      while (!scope.finished && !exhausted && inFlight < window) {
        let step: IteratorResult<T>;
        try {
          step = source.next();
        } catch (error) {
          exhausted = true;
          fail(error);
          return;
        }
        if (step.done === true) {
          exhausted = true;
          break;
        }
        const index = nextIndex++;
        const item = step.value;
        inFlight++;
        run((context) => fn(item, index, context), { signal: scope.signal }).then(
          (value) => {
            results[index] = value;
            inFlight--;
            feed();
          },
          (error: unknown) => {
            inFlight--;
            fail(error);
          },
        );
      }
      if (exhausted && inFlight === 0 && !scope.finished) {
        scope.finish();
        resolve(results);
      }
    };

    feed();
  });
}
