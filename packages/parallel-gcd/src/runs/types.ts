import type { PairSource } from '../input/source.js';
import type { GcdAlgorithm, GcdValue } from '../types.js';

/** The ways this package runs a batch of gcds, in the order `runAll` runs them. */
export const RUN_MODES = ['serial', 'async', 'workers'] as const;

/**
 * How a run spread the work: one thread, an async pool on one thread, or worker threads.
 * `runAll` also runs modes added by other packages (`runners`), under their own names.
 */
export type RunMode = (typeof RUN_MODES)[number];

/** A progress report: `done` pairs finished so far in the run of `mode`. */
export interface GcdProgress {
  /** The run's mode (`'serial'`, `'async'`, `'workers'`, or an added mode's name). */
  readonly mode: string;
  readonly done: number;
  /** Pairs in the run: known for an array, `undefined` for a stream until it has ended. */
  readonly total: number | undefined;
}

/** Options every runner takes. */
export interface RunOptions {
  /** Default `'naive'`, the chapter's slow countdown. */
  readonly algorithm?: GcdAlgorithm;
  /** Aborting stops the run; its promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Called at most every 50 ms while the run goes, and once at the end. */
  readonly onProgress?: (progress: GcdProgress) => void;
}

/** What every runner resolves with. */
export interface GcdRun {
  /** `'serial'`, `'async'`, `'workers'`, or the name of a mode added to `runAll`. */
  readonly mode: RunMode | (string & {});
  readonly algorithm: GcdAlgorithm;
  /** One gcd per input pair, in input order (a bigint for a bigint pair). */
  readonly results: GcdValue[];
  /**
   * Wall-clock seconds from before any pool is created (so thread start-up counts, as in
   * the chapter) until the last result is in. For a stream, reading and parsing it are
   * inside this time too, in every mode alike.
   */
  readonly seconds: number;
  /**
   * Pairs computed at once: 1 for serial, the pool's limit for async, and for workers the
   * threads computing (the worker threads, plus the calling thread when it takes part).
   */
  readonly parallelism: number;
}

/** What `runWorkers` resolves with: a `GcdRun` that also says how it split and batched the work. */
export interface GcdWorkersRun extends GcdRun {
  readonly mode: 'workers';
  /** Chunks the pairs were planned in; each lane claims one at a time (see `planChunks`). */
  readonly chunks: number;
  /** Worker threads started: `parallelism - 1` when the calling thread computed too. */
  readonly workerThreads: number;
  /** Whether the calling thread computed beside the worker threads. */
  readonly callerRuns: boolean;
  /** Pairs the calling thread computed itself (0 when it did not take part). */
  readonly callerPairs: number;
}

/**
 * A run of one mode over some pairs: the built-in runners (`runSerial`, `runAsync`,
 * `runWorkers`) have this shape, and so must a mode added to `runAll` through `runners`.
 */
export type GcdRunner = (pairs: PairSource, options: RunOptions) => Promise<GcdRun>;
