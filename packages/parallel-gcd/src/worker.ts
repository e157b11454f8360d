/**
 * The worker-thread entry of `runWorkers`, built as its own file (`dist/worker.js` and
 * `dist/worker.cjs`). Kept tiny so that a thread starts fast: it imports the algorithms
 * and the shared work queue only.
 */
import { gcdOf } from './algorithms/gcd-of.js';
import type { GcdAlgorithm, GcdPair, GcdValue } from './types.js';
import {
  addWorkerDone,
  claimChunk,
  type LaneResult,
  startLane,
  stopQueue,
} from './runs/work-queue.js';

export type { LaneResult } from './runs/work-queue.js';

/**
 * Computes one chunk of pairs, in order. Pairs and results cross the thread boundary by
 * structured clone, which keeps bigints as bigints.
 */
export function gcdChunk(pairs: readonly GcdPair[], algorithm: GcdAlgorithm): GcdValue[] {
  return pairs.map((pair) => gcdOf(pair, algorithm));
}

/**
 * One worker lane of `runWorkers`: claims chunks of `chunks` from the shared `queue` (see
 * `runWorkers`) until none is left, and returns what it computed. One task per thread for
 * the whole run, so a thread never waits for the main thread between chunks. Returns
 * nothing if the run cancelled the lane before the thread got to it.
 */
export function gcdLane(
  queue: Int32Array,
  lane: number,
  chunks: readonly (readonly GcdPair[])[],
  algorithm: GcdAlgorithm,
): LaneResult {
  const done: LaneResult = { chunks: [], results: [] };
  if (!startLane(queue, lane)) return done;
  try {
    for (let index = claimChunk(queue, chunks.length); index >= 0; ) {
      const values = gcdChunk(chunks[index]!, algorithm);
      done.chunks.push(index);
      done.results.push(values);
      addWorkerDone(queue, values.length);
      index = claimChunk(queue, chunks.length);
    }
  } catch (error) {
    // The other lanes claim nothing more; the main thread learns of the error from the task.
    stopQueue(queue);
    throw error;
  }
  return done;
}
