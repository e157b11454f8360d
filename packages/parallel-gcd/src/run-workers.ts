import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { WorkerPool } from '@fanout/executors';
import { checkPairs } from './algorithms.js';
import { ProgressReporter } from './progress.js';
import type { GcdWorkersRun, RunOptions } from './run-types.js';
import { planChunks } from './schedule.js';
import type { GcdPair, GcdValue } from './types.js';
import { workerModuleUrl } from './worker-module.js';

/** Options of `runWorkers`. */
export interface WorkersRunOptions extends RunOptions {
  /** Worker threads. Default: the number of cores (`os.availableParallelism()`). */
  readonly workers?: number;
}

/**
 * The seed's process-pool run, in Node's terms: a `WorkerPool` (`@fanout/executors`) of
 * `workers` threads computes the pairs truly in parallel. Creating the pool and starting
 * its threads are inside the measured time, as in the seed. Pairs are sent largest first in
 * chunks that shrink towards the end (see `planChunks`), so every thread stays busy until
 * the last pair is done.
 *
 * @throws NaiveTooLargeError before starting, for `naive` with a pair too large to count down.
 * @example
 * const run = await runWorkers(seedPairs(20), { algorithm: 'naive', workers: 2 });
 * console.log(`Took ${run.seconds.toFixed(3)} seconds on ${run.parallelism} threads`);
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
  const progress = new ProgressReporter('workers', pairs.length, options.onProgress);
  const results: GcdValue[] = new Array(pairs.length);
  const start = performance.now();
  const chunks = planChunks(pairs, algorithm, workers);
  if (chunks.length === 0) {
    return { mode: 'workers', algorithm, results, seconds: 0, parallelism: workers, chunks: 0 };
  }
  const pool = new WorkerPool({
    module: workerModuleUrl(),
    minThreads: workers,
    maxThreads: workers,
  });
  // One failure (or the caller's abort) stops every other chunk, queued or running.
  const stop = new AbortController();
  // Every queued chunk listens to it; dozens of listeners are expected, not a leak.
  setMaxListeners(chunks.length + 10, stop.signal);
  const onAbort = (): void => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let seconds: number;
  try {
    await Promise.all(
      chunks.map(async (chunk) => {
        try {
          const values = await pool.run<GcdValue[]>('gcdChunk', [chunk.pairs, algorithm], {
            signal: stop.signal,
          });
          chunk.indices.forEach((index, k) => {
            results[index] = values[k]!;
          });
          progress.add(chunk.indices.length);
        } catch (error) {
          stop.abort(error);
          throw error;
        }
      }),
    );
    // As in the seed, the clock stops when the last result is in; shutting the threads
    // down is not part of the work.
    seconds = (performance.now() - start) / 1000;
  } catch (error) {
    // The first failure, not the abort it caused in the other chunks.
    throw stop.signal.aborted ? stop.signal.reason : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.close({ cancelPending: true });
  }
  return {
    mode: 'workers',
    algorithm,
    results,
    seconds,
    parallelism: workers,
    chunks: chunks.length,
  };
}
