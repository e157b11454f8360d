import type { PairSource } from '../input/source.js';
import { compareRuns, type GcdReport } from '../report/compare.js';
import { runAsync } from './async.js';
import { isStream } from '../input/batches.js';
import { runSerial } from './serial.js';
import { type GcdRun, type GcdRunner, RUN_MODES, type RunOptions } from './types.js';
import { runWorkers } from './workers.js';

/** Options of `runAll`. */
export interface RunAllOptions extends RunOptions {
  /**
   * The modes to run, one after the other in this order. Default: `RUN_MODES`
   * (serial, async, workers). A mode not built in needs its runner in `runners`.
   */
  readonly modes?: readonly string[];
  /** Tasks in flight in the async run. Default: `defaultParallelism()`. */
  readonly concurrency?: number;
  /** Threads computing in the workers run. Default: `defaultParallelism()`. */
  readonly workers?: number;
  /** Whether the calling thread computes in the workers run (default `true`). */
  readonly callerRuns?: boolean;
  /**
   * Runners of modes this package does not have, by mode name (for example a `queue`
   * mode from another package). Each gets the pairs and `{ algorithm, signal,
   * onProgress }`, and its run is compared with the others like a built-in one.
   */
  readonly runners?: Readonly<Record<string, GcdRunner>>;
}

/**
 * The chapter's whole experiment: the same pairs serially, on an async pool and on worker
 * threads (or the `modes` asked for), one run after the other (never at once, which would
 * skew the timings), then checks that all of them agree.
 *
 * `pairs` is an array, or a function that opens the pairs afresh for each run (such as
 * `() => readPairsFile(path)`), so a file is streamed once per mode instead of held. A
 * stream itself can be read only once: it is accepted for a single mode.
 *
 * @throws RangeError for an unknown mode, or a stream given for more than one mode.
 * @throws NaiveTooLargeError for `naive` with a pair too large to count down.
 * @throws ResultsMismatchError if the runs disagree (a bug).
 * @example
 * const report = await runAll(chapterPairs(20), { workers: 2 });
 * console.log(`serial ${report.serialSeconds}s, workers ${report.workersSeconds}s, ${report.speedup}×`);
 * // Only two modes, from a file read once per run:
 * await runAll(() => readPairsFile('pairs.txt'), { modes: ['serial', 'workers'], algorithm: 'euclid' });
 */
export async function runAll(
  pairs: PairSource | (() => PairSource),
  options: RunAllOptions = {},
): Promise<GcdReport> {
  const { modes = RUN_MODES, concurrency, workers, callerRuns, runners = {}, ...common } = options;
  if (modes.length === 0) throw new RangeError('runAll needs at least one mode');
  const runnerOf = (mode: string): GcdRunner => {
    if ((RUN_MODES as readonly string[]).includes(mode)) {
      if (Object.hasOwn(runners, mode)) {
        throw new RangeError(`runners.${mode}: ${mode} is a built-in mode`);
      }
      return builtIn(mode as (typeof RUN_MODES)[number], { concurrency, workers, callerRuns });
    }
    const runner = runners[mode];
    if (runner === undefined) {
      throw new RangeError(
        `unknown gcd run mode ${JSON.stringify(mode)}; expected one of ${[...RUN_MODES, ...Object.keys(runners)].join(', ')}`,
      );
    }
    return runner;
  };
  // Every mode is checked before the first one starts.
  const planned = modes.map((mode) => [mode, runnerOf(mode)] as const);
  if (typeof pairs !== 'function' && isStream(pairs) && planned.length > 1) {
    throw new RangeError(
      'runAll: a stream can be read only once; pass a function that opens it for each mode ' +
        '(() => readPairsFile(path)) or an array',
    );
  }
  const runs: Record<string, GcdRun> = {};
  for (const [mode, runner] of planned) {
    const source = typeof pairs === 'function' ? pairs() : pairs;
    runs[mode] = await runner(source, common);
  }
  return compareRuns(runs);
}

function builtIn(
  mode: (typeof RUN_MODES)[number],
  settings: Pick<RunAllOptions, 'concurrency' | 'workers' | 'callerRuns'>,
): GcdRunner {
  switch (mode) {
    case 'serial':
      return runSerial;
    case 'async':
      return (pairs, options) => runAsync(pairs, { ...options, concurrency: settings.concurrency });
    case 'workers':
      return (pairs, options) =>
        runWorkers(pairs, {
          ...options,
          workers: settings.workers,
          callerRuns: settings.callerRuns,
        });
  }
}
