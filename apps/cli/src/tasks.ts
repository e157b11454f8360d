/**
 * The module tasks fanout ships: the named exports `fanout worker` serves on its threads
 * and `fanout gcd --mode queue` calls through the queue (built as dist/tasks.cjs).
 */
import { type GcdAlgorithm, type GcdPair, type GcdValue, gcdOf } from '@fanout/parallel-gcd';

/** One queue job of `fanout gcd --mode queue`: a run of pairs and the algorithm. */
export interface GcdJob {
  readonly pairs: readonly GcdPair[];
  readonly algorithm: GcdAlgorithm;
}

/** The gcd of every pair of the job, in order. */
export function gcdPairs(job: GcdJob): GcdValue[] {
  return job.pairs.map((pair) => gcdOf(pair, job.algorithm));
}
