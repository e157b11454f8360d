/**
 * The worker-thread entry of `runWorkers`, built as its own file (`dist/worker.js` and
 * `dist/worker.cjs`). Kept tiny so that a thread starts fast: it imports the algorithms
 * only.
 */
import { gcdOf } from './algorithms.js';
import type { GcdAlgorithm, GcdPair, GcdValue } from './types.js';

/**
 * Computes one chunk of pairs, in order. Pairs and results cross the thread boundary by
 * structured clone, which keeps bigints as bigints.
 */
export function gcdChunk(pairs: readonly GcdPair[], algorithm: GcdAlgorithm): GcdValue[] {
  return pairs.map((pair) => gcdOf(pair, algorithm));
}
