import { availableParallelism } from 'node:os';
import { AsyncPool } from '@fanout/executors';
import { checkPairs, gcdOf } from './algorithms.js';
import { ProgressReporter } from './progress.js';
import type { GcdRun, RunOptions } from './run-types.js';
import type { GcdPair, GcdValue } from './types.js';
import { yieldToEventLoop } from './yield.js';

/** Options of `runAsync`. */
export interface AsyncRunOptions extends RunOptions {
  /** Tasks in flight at once. Default: the number of cores (`os.availableParallelism()`). */
  readonly concurrency?: number;
}

const SLICE_MS = 20;

/**
 * The seed's thread-pool run, in Node's terms: every pair is a task on an `AsyncPool`
 * from `@fanout/executors`. All tasks share the one JavaScript thread, so, like Python
 * threads under the GIL, it is no faster than `runSerial` (a little slower: it pays for
 * the pool). Creating the pool is inside the measured time.
 *
 * @throws NaiveTooLargeError before starting, for `naive` with a pair too large to count down.
 * @example
 * const run = await runAsync(seedPairs(20), { algorithm: 'naive', concurrency: 2 });
 * console.log(`Took ${run.seconds.toFixed(3)} seconds`);
 */
export async function runAsync(
  pairs: readonly GcdPair[],
  options: AsyncRunOptions = {},
): Promise<GcdRun> {
  const algorithm = options.algorithm ?? 'naive';
  const concurrency = options.concurrency ?? availableParallelism();
  const { signal } = options;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${String(concurrency)}`);
  }
  checkPairs(pairs, algorithm);
  signal?.throwIfAborted();
  const progress = new ProgressReporter('async', pairs.length, options.onProgress);
  const start = performance.now();
  const pool = new AsyncPool({ maxConcurrency: concurrency });
  let results: GcdValue[];
  let seconds: number;
  try {
    let sliceStart = start;
    results = await pool.map(
      async (pair: GcdPair, _index, context) => {
        // The pool runs synchronous tasks back to back in microtasks; yield now and then so
        // signals, timers and progress output still get their turn.
        if (performance.now() - sliceStart >= SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
        context.signal.throwIfAborted();
        const result = gcdOf(pair, algorithm);
        progress.add(1);
        return result;
      },
      pairs,
      signal === undefined ? {} : { signal },
    );
    seconds = (performance.now() - start) / 1000;
  } finally {
    await pool.close();
  }
  return { mode: 'async', algorithm, results, seconds, parallelism: concurrency };
}
