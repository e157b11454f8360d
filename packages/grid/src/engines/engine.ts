import { EngineClosedError } from '../errors.js';
import type { Grid, XY } from '../grid.js';
import type { LifeRule } from '../rule.js';

/** Which engine runs a world. */
export type EngineKind = 'cells' | 'bitwise' | 'workers' | 'unbounded';

/** Options of `LifeEngine#step`. */
export interface StepOptions {
  /**
   * Stop early: the promise rejects with `signal.reason`. The world stays at the last
   * completed generation (`generation` says which).
   */
  readonly signal?: AbortSignal;
}

/**
 * The interface every engine implements; all engines give identical results for the same
 * world and rule.
 *
 * @example
 * await using engine = createBitwiseEngine(grid);
 * await engine.step(100);
 * console.log(engine.generation, engine.population());
 */
export interface LifeEngine extends AsyncDisposable {
  readonly kind: EngineKind;
  readonly rule: LifeRule;
  /** Generations completed since creation. */
  readonly generation: number;
  /**
   * Advance `generations` (default 1) generations. Calls queue up: a second `step` starts
   * when the first has settled. Rejects with `EngineClosedError` after `close()`.
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
