import { availableParallelism } from 'node:os';

/**
 * The one default for how many pairs run at once: the async pool's `concurrency` and the
 * workers run's `workers` (threads computing, the calling thread included). It is the
 * number of cores Node may use (`os.availableParallelism()`).
 *
 * @example
 * defaultParallelism(); // 2 on a two-core machine
 */
export function defaultParallelism(): number {
  return availableParallelism();
}

/** How a workers run spreads its threads; see `threadSplit`. */
export interface ThreadSplit {
  /** Threads computing at once (the run's `parallelism`). */
  readonly threads: number;
  /** Worker threads started. */
  readonly workerThreads: number;
  /** Whether the calling thread computes too (then `threads = workerThreads + 1`). */
  readonly callerRuns: boolean;
}

/**
 * The threads a workers run uses for `workers` threads computing at once (default
 * `defaultParallelism()`): with `callerRuns` (the default) the calling thread is one of them
 * and `workers - 1` worker threads start; without it, or with `workers: 1`, `workers` worker
 * threads start and the caller only waits. `runWorkers` uses exactly this split and reports
 * it; call it to say beforehand what a run will do.
 *
 * @throws RangeError unless `workers` is a positive integer.
 * @example
 * threadSplit({ workers: 2 }); // { threads: 2, workerThreads: 1, callerRuns: true }
 * threadSplit({ workers: 2, callerRuns: false }); // { threads: 2, workerThreads: 2, callerRuns: false }
 */
export function threadSplit(
  options: { readonly workers?: number; readonly callerRuns?: boolean } = {},
): ThreadSplit {
  const threads = options.workers ?? defaultParallelism();
  if (!Number.isSafeInteger(threads) || threads < 1) {
    throw new RangeError(`workers must be a positive integer, got ${String(threads)}`);
  }
  const callerRuns = options.callerRuns !== false && threads > 1;
  return { threads, workerThreads: callerRuns ? threads - 1 : threads, callerRuns };
}
