import { setMaxListeners } from 'node:events';
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
    const outer = options?.signal;
    if (outer?.aborted) {
      reject(outer.reason);
      return;
    }
    const controller = new AbortController();
    // Every task of this fan-out may listen to the shared signal: many listeners are expected.
    setMaxListeners(0, controller.signal);
    const iterator = items[Symbol.iterator]();
    const results: Awaited<R>[] = [];
    let nextIndex = 0;
    let inFlight = 0;
    let exhausted = false;
    let finished = false;

    const onOuterAbort = (): void => fail(outer?.reason);
    const finish = (): void => {
      finished = true;
      outer?.removeEventListener('abort', onOuterAbort);
    };
    const fail = (error: unknown): void => {
      if (finished) return;
      finish();
      if (!exhausted) {
        exhausted = true;
        // Let a generator run its `finally` blocks.
        try {
          iterator.return?.();
        } catch {
          // The map already failed with `error`; a cleanup failure must not replace it.
        }
      }
      controller.abort(error);
      reject(error);
    };
    const feed = (): void => {
      while (!finished && !exhausted && inFlight < window) {
        let step: IteratorResult<T>;
        try {
          step = iterator.next();
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
        run((context) => fn(item, index, context), { signal: controller.signal }).then(
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
      if (exhausted && inFlight === 0 && !finished) {
        finish();
        resolve(results);
      }
    };

    outer?.addEventListener('abort', onOuterAbort, { once: true });
    feed();
  });
}
