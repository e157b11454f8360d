import { AsyncPool, createSlicer } from '@fanout/executors/core';
import { checkAlgorithm, checkPair, checkPairs, gcdOf, isHeavyPair } from '../algorithms/gcd-of.js';
import type { PairSource } from '../input/source.js';
import type { GcdPair, GcdValue } from '../types.js';
import { batchesOf, isStream } from '../input/batches.js';
import { defaultParallelism } from './parallelism.js';
import { ProgressReporter } from './progress.js';
import { gcdInSlices } from './sliced.js';
import type { GcdRun, RunOptions } from './types.js';

/** Options of `runAsync`. */
export interface AsyncRunOptions extends RunOptions {
  /** Tasks in flight at once. Default: `defaultParallelism()`, the number of cores. */
  readonly concurrency?: number;
}

const SLICE_MS = 20;

/**
 * The chapter's thread-pool run, in Node's terms: every pair is a task on an `AsyncPool`
 * from `@fanout/executors`. All tasks share the one JavaScript thread, so, like Python
 * threads under the GIL, it is no faster than `runSerial` (a little slower: it pays for
 * the pool). Creating the pool is inside the measured time. Tasks yield to the event loop
 * every ~20 ms (inside one huge gcd too), so a signal stops the run within a slice.
 *
 * `pairs` is an array or a stream; a stream is taken batch by batch (`concurrency` tasks
 * in flight within a batch), holding only the batch and the results.
 *
 * @throws NaiveTooLargeError for `naive` with a pair too large to count down: before
 * starting for an array, when the pair is read for a stream.
 * @example
 * const run = await runAsync(chapterPairs(20), { algorithm: 'naive', concurrency: 2 });
 * console.log(`Took ${run.seconds.toFixed(3)} seconds`);
 */
export async function runAsync(pairs: PairSource, options: AsyncRunOptions = {}): Promise<GcdRun> {
  const algorithm = options.algorithm ?? 'naive';
  const concurrency = options.concurrency ?? defaultParallelism();
  const { signal } = options;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${String(concurrency)}`);
  }
  const stream = isStream(pairs);
  if (stream) checkAlgorithm(algorithm);
  else checkPairs(pairs, algorithm);
  signal?.throwIfAborted();
  const progress = new ProgressReporter(
    'async',
    stream ? undefined : pairs.length,
    options.onProgress,
  );
  const slicer = createSlicer({ sliceMs: SLICE_MS, ...(signal === undefined ? {} : { signal }) });
  const start = performance.now();
  const pool = new AsyncPool({ maxConcurrency: concurrency });
  let results: GcdValue[] = [];
  let offset = 0;
  let seconds: number;
  try {
    for await (const batch of batchesOf(pairs, signal)) {
      const first = offset;
      const values = await pool.map(
        async (pair: GcdPair, index, context) => {
          // The pool runs synchronous tasks back to back in microtasks; the slicer yields
          // now and then so signals, timers and progress output still get their turn.
          if (slicer.due) await slicer.yield();
          context.signal.throwIfAborted();
          if (stream) checkPair(pair, algorithm, first + index);
          const result = isHeavyPair(pair, algorithm)
            ? await gcdInSlices(pair, algorithm, slicer, context.signal)
            : gcdOf(pair, algorithm);
          progress.add(1);
          return result;
        },
        batch,
        signal === undefined ? {} : { signal },
      );
      if (stream) for (const value of values) results.push(value);
      else results = values;
      offset += values.length;
    }
    seconds = (performance.now() - start) / 1000;
  } finally {
    await pool.close();
  }
  progress.finish();
  return { mode: 'async', algorithm, results, seconds, parallelism: concurrency };
}
