import { availableParallelism } from 'node:os';
import { WorkerPool } from '@fanout/executors';
import { checkPairs } from './algorithms.js';
import { LaneRun } from './lane-run.js';
import { ProgressReporter } from './progress.js';
import type { GcdWorkersRun, RunOptions } from './run-types.js';
import { planChunks } from './schedule.js';
import type { GcdPair, GcdValue } from './types.js';
import { type LaneResult, createWorkQueue } from './work-queue.js';
import { workerFileUrl } from '@fanout/internal/worker-file';

/** Options of `runWorkers`. */
export interface WorkersRunOptions extends RunOptions {
  /**
   * Threads computing at once. With `callerRuns` (the default) the calling thread is one
   * of them and `workers - 1` worker threads start; without it, `workers` worker threads
   * start. `workers: 1` always starts one worker thread and leaves the caller idle.
   * Default: the number of cores (`os.availableParallelism()`).
   */
  readonly workers?: number;
  /**
   * Whether the calling thread computes chunks too, taking them from the same queue as the
   * worker threads, in slices of 4 ms (20 ms once every thread has its task) between which
   * it yields to the event loop. Default `true`: the caller works while the threads start
   * instead of waiting.
   */
  readonly callerRuns?: boolean;
}

/**
 * The seed's process-pool run, in Node's terms: the pairs are computed truly in parallel
 * on `workers` threads. A `WorkerPool` (`@fanout/executors`) starts the worker threads,
 * and by default the calling thread computes too (`callerRuns`), so the cores do useful
 * work while the threads start instead of idling. Creating the pool and starting its
 * threads are inside the measured time, as in the seed.
 *
 * Pairs are planned largest first in chunks that shrink towards the end (see
 * `planChunks`); every lane (each worker thread, and the caller) claims the next chunk
 * from a shared counter (`Atomics.add`) until none is left, so all lanes stay busy until
 * the last pair is done and no thread waits for a message between chunks.
 *
 * @throws NaiveTooLargeError before starting, for `naive` with a pair too large to count down.
 * @example
 * // The calling thread and one worker thread:
 * const run = await runWorkers(seedPairs(20), { algorithm: 'naive', workers: 2 });
 * console.log(`Took ${run.seconds.toFixed(3)} seconds on ${run.parallelism} threads`);
 * console.log(`${run.callerPairs} pairs computed by the caller itself`);
 * // Two worker threads, the caller only waiting (as the seed's main process does):
 * await runWorkers(seedPairs(20), { workers: 2, callerRuns: false });
 */
export async function runWorkers(
  pairs: readonly GcdPair[],
  options: WorkersRunOptions = {},
): Promise<GcdWorkersRun> {
  const algorithm = options.algorithm ?? 'naive';
  const workers = options.workers ?? availableParallelism();
  const { signal } = options;
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new RangeError(`workers must be a positive integer, got ${String(workers)}`);
  }
  checkPairs(pairs, algorithm);
  signal?.throwIfAborted();
  const callerRuns = options.callerRuns !== false && workers > 1;
  const threads = callerRuns ? workers - 1 : workers;
  const progress = new ProgressReporter('workers', pairs.length, options.onProgress);
  const results: GcdValue[] = new Array(pairs.length);
  const start = performance.now();
  const chunks = planChunks(pairs, algorithm, workers);
  const summary = {
    mode: 'workers',
    algorithm,
    parallelism: workers,
    workerThreads: threads,
  } as const;
  if (chunks.length === 0) return { ...summary, results, seconds: 0, chunks: 0, callerPairs: 0 };
  const queue = createWorkQueue(threads);
  const pool = new WorkerPool({
    module: workerFileUrl('worker', import.meta.url),
    minThreads: threads,
    maxThreads: threads,
  });
  const run = new LaneRun(queue, chunks, results, progress);
  const onAbort = (): void => run.fail(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let seconds: number;
  try {
    const chunkPairs = chunks.map((chunk) => chunk.pairs);
    const lanes = Array.from({ length: threads }, (_, lane) =>
      run.startWorkerLane(lane, (laneSignal) =>
        pool.run<LaneResult>('gcdLane', [queue, lane, chunkPairs, algorithm], {
          signal: laneSignal,
        }),
      ),
    );
    if (callerRuns) await run.callerLane(algorithm, threads);
    await run.finish(lanes);
    seconds = (performance.now() - start) / 1000;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // As in the seed, the clock stopped when the last result was in; shutting the threads
    // down is not part of the work.
    await pool.close({ cancelPending: true });
  }
  return {
    ...summary,
    results,
    seconds,
    chunks: chunks.length,
    callerPairs: run.callerPairs,
  };
}
