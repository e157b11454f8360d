import type { GcdAlgorithm, GcdValue } from './types.js';

/** How a run spread the work: one thread, an async pool on one thread, or worker threads. */
export type RunMode = 'serial' | 'async' | 'workers';

/** A progress report: `done` of `total` pairs finished in the run of `mode`. */
export interface GcdProgress {
  readonly mode: RunMode;
  readonly done: number;
  readonly total: number;
}

/** Options every runner takes. */
export interface RunOptions {
  /** Default `'naive'`, the seed's slow countdown. */
  readonly algorithm?: GcdAlgorithm;
  /** Aborting stops the run; its promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Called at most every 50 ms while the run goes, and once at the end. */
  readonly onProgress?: (progress: GcdProgress) => void;
}

/** What every runner resolves with. */
export interface GcdRun {
  readonly mode: RunMode;
  readonly algorithm: GcdAlgorithm;
  /** One gcd per input pair, in input order (a bigint for a bigint pair). */
  readonly results: GcdValue[];
  /**
   * Wall-clock seconds from before any pool is created (so thread start-up counts, as in
   * the seed) until the last result is in.
   */
  readonly seconds: number;
  /**
   * Pairs computed at once: 1 for serial, the pool's limit for async, and for workers the
   * threads computing (the worker threads, plus the calling thread when it takes part).
   */
  readonly parallelism: number;
}

/** What `runWorkers` resolves with: a `GcdRun` that also says how it batched the pairs. */
export interface GcdWorkersRun extends GcdRun {
  readonly mode: 'workers';
  /** Chunks the pairs were planned in; each lane claims one at a time (see `planChunks`). */
  readonly chunks: number;
  /** Worker threads started: `parallelism - 1` when the calling thread computed too. */
  readonly workerThreads: number;
  /** Pairs the calling thread computed itself (0 when it did not take part). */
  readonly callerPairs: number;
}
