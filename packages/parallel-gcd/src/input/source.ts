import { batchesOf } from './batches.js';
import type { GcdPair } from '../types.js';

/**
 * Pairs that arrive over time, in batches, each batch in input order: what `readPairs` and
 * `readPairsFile` return. A stream is read once; the runners take its batches as they come
 * and hold only what the mode needs (see the README's "Streams and memory").
 */
export type PairStream = AsyncIterable<readonly GcdPair[]>;

/** What the runners take: an array of pairs (all in memory, checked up front) or a stream. */
export type PairSource = readonly GcdPair[] | PairStream;

/**
 * Reads a whole stream into one array (for input that has to be read more than once, such
 * as stdin for several runs). The array holds every pair: use it only where that is meant.
 * Aborting `signal` rejects with its reason at once, also while the stream sends nothing.
 *
 * @example
 * const pairs = await collectPairs(readPairs(process.stdin, { source: '-' }));
 */
export async function collectPairs(
  stream: PairStream,
  options: { readonly signal?: AbortSignal } = {},
): Promise<GcdPair[]> {
  const pairs: GcdPair[] = [];
  for await (const batch of batchesOf(stream, options.signal)) {
    // One push per pair: spreading a large batch into push() overflows the call stack.
    for (const pair of batch) pairs.push(pair);
  }
  return pairs;
}

/**
 * The pairs of `open()` one time after another, `times` times, as one stream: a file's
 * pairs repeated like `chapterPairs(scale)` repeats the chapter's, without holding them.
 * `open` is called once per pass (an array is simply gone through again).
 *
 * @throws RangeError unless `times` is a positive integer.
 * @example
 * const stream = repeatPairs(() => readPairsFile('pairs.txt'), 3);
 */
export function repeatPairs(open: () => PairSource, times: number): PairStream {
  if (!Number.isSafeInteger(times) || times < 1) {
    throw new RangeError(`times must be a positive integer, got ${String(times)}`);
  }
  return {
    async *[Symbol.asyncIterator]() {
      for (let pass = 0; pass < times; pass++) {
        const source = open();
        if (Array.isArray(source)) yield source as readonly GcdPair[];
        else yield* source as PairStream;
      }
    },
  };
}
