import { type GcdReport, compareRuns } from './compare.js';
import { runAsync } from './run-async.js';
import { runSerial } from './run-serial.js';
import type { RunOptions } from './run-types.js';
import { runWorkers } from './run-workers.js';
import type { GcdPair } from './types.js';

/** Options of `runAll`. */
export interface RunAllOptions extends RunOptions {
  /** Tasks in flight in the async run. Default: the number of cores. */
  readonly concurrency?: number;
  /** Threads of the workers run. Default: the number of cores. */
  readonly workers?: number;
}

/**
 * The seed's whole experiment: the same pairs serially, on an async pool and on worker
 * threads, one run after the other (never at once, which would skew the timings), then
 * checks that all three agree.
 *
 * @throws NaiveTooLargeError before starting, for `naive` with a pair too large to count down.
 * @throws ResultsMismatchError if the runs disagree (a bug).
 * @example
 * const report = await runAll(seedPairs(20), { workers: 2 });
 * console.log(`serial ${report.serialSeconds}s, workers ${report.workersSeconds}s, ${report.speedup}×`);
 */
export async function runAll(
  pairs: readonly GcdPair[],
  options: RunAllOptions = {},
): Promise<GcdReport> {
  const { concurrency, workers, ...common } = options;
  const serial = await runSerial(pairs, common);
  const asyncRun = await runAsync(
    pairs,
    concurrency === undefined ? common : { ...common, concurrency },
  );
  const workersRun = await runWorkers(
    pairs,
    workers === undefined ? common : { ...common, workers },
  );
  return compareRuns({ serial, async: asyncRun, workers: workersRun });
}
