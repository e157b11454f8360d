import { createSlicer } from '@fanout/executors/core';
import { EngineClosedError } from '../errors.js';
import type { Grid, XY } from '../grid.js';
import type { LifeRule } from '../rule.js';

/**
 * Which engine runs a world: `per-cell` (one task per cell through an executor, the seed's
 * model), `bitwise` (bit-parallel, one thread), `workers` (bit-parallel on worker threads,
 * Node only), `unbounded` (sparse tiles, no edges) or `hashlife` (Gosper's HashLife, no
 * edges, jumps of any size).
 */
export type EngineKind = 'per-cell' | 'bitwise' | 'workers' | 'unbounded' | 'hashlife';

/** How far a `step` call has got; see `StepOptions.onProgress`. */
export interface StepProgress {
  /** Generations this call has completed. */
  readonly done: number;
  /** Generations this call was asked for. */
  readonly total: number;
  /** The engine's generation count (`LifeEngine#generation`). */
  readonly generation: number;
}

/** Options of `LifeEngine#step`. */
export interface StepOptions {
  /**
   * Stop early: the promise rejects with `signal.reason`. The world stays at the last
   * completed generation (`generation` says which).
   */
  readonly signal?: AbortSignal;
  /**
   * Called while the step runs, each time the engine lets the event loop run (about every
   * 20 ms of work; the `workers` engine about every 100 ms), and once when the last
   * generation is done. Never called after the promise settles. An error it throws rejects
   * the step.
   */
  readonly onProgress?: (progress: StepProgress) => void;
}

/**
 * The interface every engine implements; all engines give identical results for the same
 * world and rule.
 *
 * @example
 * await using engine = createBitwiseEngine(grid);
 * await engine.step(100, { onProgress: ({ done, total }) => console.log(`${done}/${total}`) });
 * console.log(engine.generation, engine.population());
 */
export interface LifeEngine extends AsyncDisposable {
  readonly kind: EngineKind;
  readonly rule: LifeRule;
  /** Generations completed since creation. */
  readonly generation: number;
  /**
   * Advance `generations` (default 1) generations, letting the event loop run between
   * slices of work (timers, I/O and signal handlers are never held up for long). Calls
   * queue up: a second `step` starts when the first has settled. Rejects with
   * `EngineClosedError` after `close()`.
   */
  step(generations?: number, options?: StepOptions): Promise<void>;
  /** The current world as a new `Grid` (unbounded: the bounding box of live cells, on a plane). */
  snapshot(): Grid;
  /** Live cells as `[x, y]` pairs in world coordinates. */
  liveCells(): XY[];
  /** Number of live cells. */
  population(): number;
  /** Release the engine (threads, buffers). Idempotent; waits for a running `step`. */
  close(): Promise<void>;
}

/** Validate a `step` generation count. */
export function checkGenerations(generations: number): number {
  if (!Number.isSafeInteger(generations) || generations < 0) {
    throw new RangeError(`generations must be a non-negative integer, got ${generations}`);
  }
  return generations;
}

/**
 * Runs `step` calls one after another and tracks closing, so each engine only supplies
 * the work of one call.
 */
export class StepSerializer {
  readonly #kind: EngineKind;
  #tail: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(kind: EngineKind) {
    this.#kind = kind;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Queue `work` after every earlier call; rejects at once if closed. */
  run(
    generations: number,
    signal: AbortSignal | undefined,
    work: (n: number) => Promise<void>,
  ): Promise<void> {
    if (this.#closed) return Promise.reject(new EngineClosedError(this.#kind));
    let n: number;
    try {
      n = checkGenerations(generations);
    } catch (error) {
      return Promise.reject(error);
    }
    const result = this.#tail.then(() => {
      if (this.#closed) throw new EngineClosedError(this.#kind);
      signal?.throwIfAborted();
      return work(n);
    });
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Mark closed and wait for the queued calls to settle. */
  close(): Promise<void> {
    this.#closed = true;
    return this.#tail;
  }
}

/**
 * Run `n` generations with `advance` (one generation per call), cut into time slices by
 * `@fanout/executors`' slicer: between slices the event loop runs, the signal is checked and
 * `onProgress` hears how far the call has got. `generation` reads the engine's count.
 */
export async function stepInSlices(
  n: number,
  options: StepOptions,
  advance: () => void | Promise<void>,
  generation: () => number,
): Promise<void> {
  const { signal, onProgress } = options;
  const slicer = createSlicer(signal === undefined ? {} : { signal });
  const report = (done: number): void => onProgress?.({ done, total: n, generation: generation() });
  for (let done = 0; done < n; ) {
    const pending = advance();
    if (pending !== undefined) await pending;
    done++;
    if (done < n && slicer.due) {
      report(done);
      await slicer.yield();
    }
  }
  report(n);
}
