import { workerFileUrl } from '@fanout/internal/worker-file';
import { checkAlgorithm, checkPair, checkPairs } from '../algorithms/gcd-of.js';
import type { PairSource } from '../input/source.js';
import type { GcdAlgorithm, GcdPair, GcdValue } from '../types.js';
import { isStream } from '../input/batches.js';
import { LaneRun } from './lane-run.js';
import { threadSplit } from './parallelism.js';
import { ProgressReporter } from './progress.js';
import { planChunks } from './schedule.js';
import type { GcdWorkersRun, RunOptions } from './types.js';
import { windowsOf } from './windows.js';
import { createWorkQueue, type LaneResult } from './work-queue.js';

/** Options of `runWorkers`. */
export interface WorkersRunOptions extends RunOptions {
  /**
   * Threads computing at once. With `callerRuns` (the default) the calling thread is one
   * of them and `workers - 1` worker threads start; without it, `workers` worker threads
   * start. `workers: 1` always starts one worker thread and leaves the caller idle.
   * Default: `defaultParallelism()`, the number of cores. See `threadSplit`.
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

/** The part of `@fanout/executors`' WorkerPool a workers run uses. */
type WorkerPoolClass = typeof import('@fanout/executors').WorkerPool;

/**
 * Loaded on first use: the pool's thread library is only paid for by workers runs, so the
 * package's main entry stays light for serial and async runs and for option lists.
 */
let workerPoolClass: Promise<WorkerPoolClass> | undefined;
function loadWorkerPool(): Promise<WorkerPoolClass> {
  workerPoolClass ??= import('@fanout/executors').then((module) => module.WorkerPool);
  return workerPoolClass;
}

/**
 * The chapter's process-pool run, in Node's terms: the pairs are computed truly in parallel
 * on `workers` threads. A `WorkerPool` (`@fanout/executors`) starts the worker threads,
 * and by default the calling thread computes too (`callerRuns`), so the cores do useful
 * work while the threads start instead of idling. Creating the pool and starting its
 * threads are inside the measured time, as in the chapter.
 *
 * Pairs are planned largest first in chunks that shrink towards the end (see
 * `planChunks`); every lane (each worker thread, and the caller) claims the next chunk
 * from a shared counter (`Atomics.add`) until none is left, so all lanes stay busy until
 * the last pair is done and no thread waits for a message between chunks. A stream is
 * planned and computed window by window (up to 65,536 pairs or ~32 MB of integers each),
 * so only one window of pairs is held at a time.
 *
 * On abort, the caller's lane stops at its next yield (a heavy pair is computed in steps,
 * see `isHeavyPair`) and the threads still computing are terminated.
 *
 * @throws NaiveTooLargeError for `naive` with a pair too large to count down: before
 * starting any thread for an array, when the pair is read for a stream.
 * @example
 * // The calling thread and one worker thread:
 * const run = await runWorkers(chapterPairs(20), { algorithm: 'naive', workers: 2 });
 * console.log(`Took ${run.seconds.toFixed(3)} seconds on ${run.parallelism} threads`);
 * console.log(`${run.callerPairs} pairs computed by the caller itself`);
 * // Two worker threads, the caller only waiting (as the chapter's main process does):
 * await runWorkers(chapterPairs(20), { workers: 2, callerRuns: false });
 */
export async function runWorkers(
  pairs: PairSource,
  options: WorkersRunOptions = {},
): Promise<GcdWorkersRun> {
  const algorithm = options.algorithm ?? 'naive';
  const split = threadSplit(options);
  const { signal } = options;
  const stream = isStream(pairs);
  if (stream) checkAlgorithm(algorithm);
  else checkPairs(pairs, algorithm);
  signal?.throwIfAborted();
  const WorkerPool = await loadWorkerPool();
  signal?.throwIfAborted();
  const progress = new ProgressReporter(
    'workers',
    stream ? undefined : pairs.length,
    options.onProgress,
  );
  const results: GcdValue[] = stream ? [] : new Array(pairs.length);
  const start = performance.now();
  let pool: InstanceType<WorkerPoolClass> | undefined;
  let chunkCount = 0;
  let callerPairs = 0;
  let offset = 0;
  let seconds: number;
  try {
    for await (const window of windowsOf(pairs, signal)) {
      if (stream) {
        for (let k = 0; k < window.length; k++) checkPair(window[k]!, algorithm, offset + k);
      }
      // Created with the first pairs, so an empty input starts no thread.
      pool ??= new WorkerPool({
        module: workerFileUrl('worker', import.meta.url),
        minThreads: split.workerThreads,
        maxThreads: split.workerThreads,
      });
      const run = await runWindow(window, offset, {
        algorithm,
        split,
        results,
        progress,
        signal,
        runLane: (args, laneSignal) =>
          pool!.run<LaneResult>('gcdLane', args, { signal: laneSignal }),
      });
      chunkCount += run.chunks;
      callerPairs += run.callerPairs;
      offset += window.length;
    }
    seconds = (performance.now() - start) / 1000;
  } finally {
    // As in the chapter, the clock stopped when the last result was in; shutting the
    // threads down is not part of the work.
    await pool?.close({ cancelPending: true });
  }
  progress.finish();
  return {
    mode: 'workers',
    algorithm,
    results,
    seconds: chunkCount === 0 && !stream ? 0 : seconds,
    parallelism: split.threads,
    workerThreads: split.workerThreads,
    callerRuns: split.callerRuns,
    chunks: chunkCount,
    callerPairs,
  };
}

interface WindowRun {
  readonly algorithm: GcdAlgorithm;
  readonly split: ReturnType<typeof threadSplit>;
  readonly results: GcdValue[];
  readonly progress: ProgressReporter;
  readonly signal: AbortSignal | undefined;
  /** Starts `gcdLane(...args)` on a worker thread. */
  readonly runLane: (args: readonly unknown[], signal: AbortSignal) => Promise<LaneResult>;
}

/** Plans one window and computes it on every lane; resolves once all its results are in. */
async function runWindow(
  pairs: readonly GcdPair[],
  offset: number,
  context: WindowRun,
): Promise<{ chunks: number; callerPairs: number }> {
  const { algorithm, split, signal } = context;
  signal?.throwIfAborted();
  const chunks = planChunks(pairs, algorithm, split.threads);
  const queue = createWorkQueue(split.workerThreads);
  const run = new LaneRun(queue, chunks, context.results, context.progress, offset);
  const onAbort = (): void => run.fail(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const chunkPairs = chunks.map((chunk) => chunk.pairs);
    const lanes = Array.from({ length: split.workerThreads }, (_, lane) =>
      run.startWorkerLane(lane, (laneSignal) =>
        context.runLane([queue, lane, chunkPairs, algorithm], laneSignal),
      ),
    );
    if (split.callerRuns) await run.callerLane(algorithm, split.workerThreads);
    await run.finish(lanes);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return { chunks: chunks.length, callerPairs: run.callerPairs };
}
