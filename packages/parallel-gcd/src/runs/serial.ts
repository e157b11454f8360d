import { createSlicer } from '@fanout/executors/core';
import { checkAlgorithm, checkPair, checkPairs, gcdOf, isHeavyPair } from '../algorithms/gcd-of.js';
import type { PairSource } from '../input/source.js';
import type { GcdValue } from '../types.js';
import { batchesOf, isStream } from '../input/batches.js';
import { ProgressReporter } from './progress.js';
import { gcdInSlices } from './sliced.js';
import type { GcdRun, RunOptions } from './types.js';

/** The longest the serial loop keeps the event loop blocked before it yields. */
const SLICE_MS = 20;

/**
 * The chapter's serial run: every pair in turn on the calling thread. It yields to the
 * event loop every ~20 ms, also in the middle of one huge gcd (see `isHeavyPair`), so a
 * signal (Ctrl-C, a timeout) stops it within a slice and progress can be drawn.
 *
 * `pairs` is an array (checked before the clock starts) or a stream (`readPairs`,
 * `readPairsFile`), read as it goes: only the results are kept, not the pairs.
 *
 * @throws NaiveTooLargeError for `naive` with a pair too large to count down: before
 * starting for an array, when the pair is read for a stream.
 * @example
 * const run = await runSerial(chapterPairs(1), { algorithm: 'naive' });
 * console.log(`Took ${run.seconds.toFixed(3)} seconds`, run.results);
 */
export async function runSerial(pairs: PairSource, options: RunOptions = {}): Promise<GcdRun> {
  const algorithm = options.algorithm ?? 'naive';
  const { signal } = options;
  const stream = isStream(pairs);
  if (stream) checkAlgorithm(algorithm);
  else checkPairs(pairs, algorithm);
  signal?.throwIfAborted();
  const progress = new ProgressReporter(
    'serial',
    stream ? undefined : pairs.length,
    options.onProgress,
  );
  const slicer = createSlicer({ sliceMs: SLICE_MS, ...(signal === undefined ? {} : { signal }) });
  const start = performance.now();
  const results: GcdValue[] = stream ? [] : new Array(pairs.length);
  let index = 0;
  let reported = 0;
  for await (const batch of batchesOf(pairs, signal)) {
    for (const pair of batch) {
      if (stream) checkPair(pair, algorithm, index);
      results[index] = isHeavyPair(pair, algorithm)
        ? await gcdInSlices(pair, algorithm, slicer)
        : gcdOf(pair, algorithm);
      index++;
      if (slicer.due) {
        progress.add(index - reported);
        reported = index;
        await slicer.yield();
      }
    }
  }
  const seconds = (performance.now() - start) / 1000;
  progress.add(index - reported);
  progress.finish();
  return { mode: 'serial', algorithm, results, seconds, parallelism: 1 };
}
