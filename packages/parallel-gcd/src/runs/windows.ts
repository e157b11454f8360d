import { bitLength } from '../algorithms/bits.js';
import type { PairSource } from '../input/source.js';
import type { GcdPair } from '../types.js';
import { batchesOf } from '../input/batches.js';

/** Most pairs a workers run plans at once from a stream. */
export const WINDOW_PAIRS = 65_536;
/** Most bytes of integers a workers run holds at once from a stream (about 32 MB). */
export const WINDOW_BYTES = 32 * 1024 * 1024;

/**
 * A stream cut into windows for `runWorkers`: each window is planned and computed on
 * every lane before the next is read, so the run holds one window (at most 65,536 pairs
 * or ~32 MB of integers) instead of the whole input. An array is one window, planned as a
 * whole.
 */
export async function* windowsOf(
  source: PairSource,
  signal: AbortSignal | undefined,
): AsyncGenerator<readonly GcdPair[], void, undefined> {
  if (Array.isArray(source)) {
    if (source.length > 0) yield source as readonly GcdPair[];
    return;
  }
  let window: GcdPair[] = [];
  let bytes = 0;
  for await (const batch of batchesOf(source, signal)) {
    for (const pair of batch) {
      window.push(pair);
      bytes += pairBytes(pair);
      if (window.length >= WINDOW_PAIRS || bytes >= WINDOW_BYTES) {
        yield window;
        window = [];
        bytes = 0;
      }
    }
  }
  if (window.length > 0) yield window;
}

/** About how many bytes a pair's integers take. */
function pairBytes(pair: GcdPair): number {
  const [a, b] = pair;
  if (typeof a === 'number') return 16;
  const size = (v: bigint): number => 8 + (bitLength(v < 0n ? -v : v) >> 3);
  return size(a) + size(b as bigint);
}
