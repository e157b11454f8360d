import { checkPairs, gcdOf } from './algorithms.js';
import { ProgressReporter } from './progress.js';
import type { GcdRun, RunOptions } from './run-types.js';
import type { GcdPair, GcdValue } from './types.js';
import { yieldToEventLoop } from './yield.js';

/** The longest the serial loop keeps the event loop blocked before it yields. */
const SLICE_MS = 20;

/**
 * The seed's serial run: every pair in turn on the calling thread. It yields to the event
 * loop every ~20 ms so a signal (Ctrl-C, a timeout) can stop it and progress can be drawn.
 *
 * @throws NaiveTooLargeError before starting, for `naive` with a pair too large to count down.
 * @example
 * const run = await runSerial(seedPairs(1), { algorithm: 'naive' });
 * console.log(`Took ${run.seconds.toFixed(3)} seconds`, run.results);
 */
export async function runSerial(
  pairs: readonly GcdPair[],
  options: RunOptions = {},
): Promise<GcdRun> {
  const algorithm = options.algorithm ?? 'naive';
  const { signal } = options;
  checkPairs(pairs, algorithm);
  signal?.throwIfAborted();
  const progress = new ProgressReporter('serial', pairs.length, options.onProgress);
  const start = performance.now();
  const results: GcdValue[] = new Array(pairs.length);
  let sliceStart = start;
  let reported = 0;
  for (let i = 0; i < pairs.length; i++) {
    results[i] = gcdOf(pairs[i]!, algorithm);
    const now = performance.now();
    if (now - sliceStart >= SLICE_MS) {
      progress.add(i + 1 - reported);
      reported = i + 1;
      await yieldToEventLoop();
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
  const seconds = (performance.now() - start) / 1000;
  progress.add(pairs.length - reported);
  return { mode: 'serial', algorithm, results, seconds, parallelism: 1 };
}
