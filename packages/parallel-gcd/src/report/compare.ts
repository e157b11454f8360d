import { ResultsMismatchError } from '../errors.js';
import type { GcdRun, GcdWorkersRun } from '../runs/types.js';
import type { GcdAlgorithm, GcdValue } from '../types.js';

/**
 * The runs to compare, by mode, in the order they ran; any subset, at least one. The
 * built-in modes have their own keys; a mode added to `runAll` goes under its name.
 */
export interface GcdRuns {
  readonly serial?: GcdRun | undefined;
  readonly async?: GcdRun | undefined;
  readonly workers?: GcdWorkersRun | GcdRun | undefined;
  readonly [mode: string]: GcdRun | undefined;
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
  /** Threads computing in the workers run (the calling thread included when it took part). */
  readonly workers?: number;
  /** Worker threads the workers run started (`workers - 1` when the caller computed too). */
  readonly workerThreads?: number;
  /** serialSeconds / workersSeconds: above 1 when the workers run was faster. */
  readonly speedup?: number;
  /** serialSeconds / asyncSeconds: about 1, since the async pool has only one thread. */
  readonly asyncSpeedup?: number;
  /** Seconds of every run by mode, in the order they ran (added modes included). */
  readonly seconds: Readonly<Record<string, number>>;
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
  const entries = Object.entries(runs).filter(
    (entry): entry is [string, GcdRun] => entry[1] !== undefined,
  );
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
  const expected = reference.results;
  const others = entries.slice(1).map(([, run]) => run.results);
  for (let i = 0; i < length; i++) {
    for (const results of others) {
      if (results[i] !== expected[i]) {
        throw new ResultsMismatchError(
          i,
          Object.fromEntries(entries.map(([mode, run]) => [mode, run.results[i]])),
        );
      }
    }
  }
  const { serial, async: asyncRun, workers } = runs;
  const workerThreads =
    workers !== undefined && 'workerThreads' in workers ? workers.workerThreads : undefined;
  return {
    algorithm: reference.algorithm,
    pairs: reference.results.length,
    results: reference.results,
    ...(serial && { serialSeconds: serial.seconds }),
    ...(asyncRun && { asyncSeconds: asyncRun.seconds, concurrency: asyncRun.parallelism }),
    ...(workers && { workersSeconds: workers.seconds, workers: workers.parallelism }),
    ...(workerThreads !== undefined && { workerThreads }),
    ...(serial && workers && { speedup: serial.seconds / workers.seconds }),
    ...(serial && asyncRun && { asyncSpeedup: serial.seconds / asyncRun.seconds }),
    seconds: Object.fromEntries(entries.map(([mode, run]) => [mode, run.seconds])),
    runs,
  };
}
