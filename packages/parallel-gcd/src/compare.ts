import { ResultsMismatchError } from './errors.js';
import type { GcdRun, GcdWorkersRun } from './run-types.js';
import type { GcdAlgorithm, GcdValue } from './types.js';

/** The runs to compare; any subset, at least one. */
export interface GcdRuns {
  readonly serial?: GcdRun;
  readonly async?: GcdRun;
  readonly workers?: GcdWorkersRun | GcdRun;
}

/**
 * The figures of one comparison, shaped like the CLI's `--json` output (which
 * `reportToJson` produces from it). Fields of runs that were not made are absent.
 */
export interface GcdReport {
  readonly algorithm: GcdAlgorithm;
  /** Number of pairs. */
  readonly pairs: number;
  /** The agreed results, in input order. */
  readonly results: GcdValue[];
  readonly serialSeconds?: number;
  readonly asyncSeconds?: number;
  readonly workersSeconds?: number;
  /** Tasks in flight in the async run. */
  readonly concurrency?: number;
  /** Threads of the workers run. */
  readonly workers?: number;
  /** serialSeconds / workersSeconds: above 1 when the workers run was faster. */
  readonly speedup?: number;
  /** serialSeconds / asyncSeconds: about 1, since the async pool has only one thread. */
  readonly asyncSpeedup?: number;
  /** The runs themselves. */
  readonly runs: GcdRuns;
}

/**
 * Checks that the given runs agree pair by pair and returns their figures side by side,
 * with the speedups relative to the serial run.
 *
 * @throws ResultsMismatchError naming the first pair where the runs disagree.
 * @example
 * const serial = await runSerial(pairs);
 * const workers = await runWorkers(pairs, { workers: 2 });
 * const { speedup } = compareRuns({ serial, workers });
 */
export function compareRuns(runs: GcdRuns): GcdReport {
  const entries = (['serial', 'async', 'workers'] as const).flatMap((mode) => {
    const run = runs[mode];
    return run === undefined ? [] : [[mode, run] as const];
  });
  const first = entries[0];
  if (first === undefined) throw new RangeError('compareRuns needs at least one run');
  const [, reference] = first;
  for (const [mode, run] of entries) {
    if (run.algorithm !== reference.algorithm) {
      throw new RangeError(
        `compareRuns: the ${mode} run used ${run.algorithm}, the ${first[0]} run ${reference.algorithm}`,
      );
    }
  }
  const length = Math.max(...entries.map(([, run]) => run.results.length));
  for (let i = 0; i < length; i++) {
    const value = reference.results[i];
    if (entries.some(([, run]) => run.results[i] !== value)) {
      throw new ResultsMismatchError(
        i,
        Object.fromEntries(entries.map(([mode, run]) => [mode, run.results[i]])),
      );
    }
  }
  const { serial, async: asyncRun, workers } = runs;
  return {
    algorithm: reference.algorithm,
    pairs: reference.results.length,
    results: reference.results,
    ...(serial && { serialSeconds: serial.seconds }),
    ...(asyncRun && { asyncSeconds: asyncRun.seconds, concurrency: asyncRun.parallelism }),
    ...(workers && { workersSeconds: workers.seconds, workers: workers.parallelism }),
    ...(serial && workers && { speedup: serial.seconds / workers.seconds }),
    ...(serial && asyncRun && { asyncSpeedup: serial.seconds / asyncRun.seconds }),
    runs,
  };
}
