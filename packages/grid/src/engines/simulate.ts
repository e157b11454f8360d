import type { Executor } from '@fanout/executors/core';
import { allowManyListeners } from '@fanout/internal/listeners';
import { isThenable } from '@fanout/internal/thenable';
import { type CellContext, type LifeLogic, ruleLogic } from './cell-logic.js';
import { cellBytes, Grid } from '../grid.js';
import { haloNeighbors, withHalo } from './halo.js';
import { CONWAY, type LifeRule } from '../rule.js';

/** Options of `simulate`. */
export interface SimulateOptions {
  /**
   * Runs one task per cell (`InlineExecutor`, `AsyncPool`, ...). Undefined: unbounded
   * gather, every cell's task is started at once (within `maxInFlight`) and fanned in.
   * An executor with a bounded queue (`maxQueue` below `Infinity`) is fed only when it has
   * room (`waitForRoom`).
   */
  readonly executor?: Executor;
  /** The rule of the default logic. Default `B3/S23`. Ignored when `logic` is given. */
  readonly rule?: LifeRule;
  /** The per-cell rule callback (the seed's `game_logic`). Default: `ruleLogic(rule)`. */
  readonly logic?: LifeLogic;
  /** Abandon the generation: the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /**
   * Most cells pending at once (default 65 536). Cells are fed through this window so a
   * 1000×1000 world with async logic never holds a million pending promises.
   */
  readonly maxInFlight?: number;
}

/** The executor, if its queue can refuse work (then cells wait for room before each submit). */
function boundedQueue(executor: Executor | undefined): Executor | undefined {
  // An unbounded queue never refuses: skip the per-cell wait.
  return executor?.maxQueue === Number.POSITIVE_INFINITY ? undefined : executor;
}

/** The context handed to the logic: one small object per cell, nothing else. */
class Cell implements CellContext {
  readonly y: number;
  readonly x: number;
  readonly signal: AbortSignal;

  constructor(y: number, x: number, signal: AbortSignal) {
    this.y = y;
    this.x = x;
    this.signal = signal;
  }
}

/**
 * One generation of the per-cell fan-out. Cells are addressed by their row-major index; a
 * pending cell costs one `then` whose handler writes the answer and settles the cell, so
 * the library adds a single closure and promise per cell to whatever the logic allocates
 * (with 10 000 cells waiting on I/O at once, young-generation GC is most of the overhead).
 */
class Generation {
  readonly #height: number;
  readonly #width: number;
  readonly #halo: Uint8Array;
  readonly #next: Grid;
  readonly #out: Uint8Array;
  readonly #logic: LifeLogic;
  readonly #executor: Executor | undefined;
  readonly #room: Executor | undefined;
  readonly #maxInFlight: number;
  readonly #signal: AbortSignal | undefined;
  readonly #controller = new AbortController();
  #inFlight = 0;
  #failure: { readonly error: unknown } | undefined;
  #wake: (() => void) | undefined;
  /** The sleeper wakes once `#inFlight` is down to this (or on failure). */
  #wakeAt = 0;

  constructor(grid: Grid, options: SimulateOptions, maxInFlight: number) {
    this.#height = grid.height;
    this.#width = grid.width;
    this.#halo = withHalo(grid);
    this.#next = new Grid(grid.height, grid.width, { topology: grid.topology });
    this.#out = cellBytes(this.#next);
    this.#logic = options.logic ?? ruleLogic(options.rule ?? CONWAY);
    this.#executor = options.executor;
    this.#room = boundedQueue(options.executor);
    this.#maxInFlight = maxInFlight;
    this.#signal = options.signal;
    // Every cell may listen to this signal (the documented recipe passes it to its I/O).
    allowManyListeners(this.#controller.signal);
  }

  async run(): Promise<Grid> {
    const outer = this.#signal;
    const onAbort = (): void => this.#fail(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.#feed();
      while (this.#inFlight > 0 && this.#failure === undefined) await this.#sleepUntil(0);
      if (this.#failure !== undefined) throw this.#failure.error;
      return this.#next;
    } finally {
      outer?.removeEventListener('abort', onAbort);
    }
  }

  /** Start every cell, waiting only when the window is full or the executor has no room. */
  async #feed(): Promise<void> {
    const width = this.#width;
    const cellSignal = this.#controller.signal;
    const room = this.#room;
    const total = this.#height * width;
    const max = this.#maxInFlight;
    // A full window is refilled in batches of about an eighth of it, not cell by cell.
    const lowWater = max - Math.ceil(max / 8);
    for (let i = 0; i < total; i++) {
      while (this.#inFlight >= max && this.#failure === undefined) {
        await this.#sleepUntil(lowWater);
      }
      if (room !== undefined && this.#failure === undefined) {
        try {
          await room.waitForRoom({ signal: cellSignal });
        } catch (error) {
          this.#fail(error);
        }
      }
      if (this.#failure !== undefined) return;
      try {
        if (this.#executor === undefined) this.#startInline(i);
        else this.#startOnExecutor(this.#executor, i);
      } catch (error) {
        this.#fail(error);
        return;
      }
    }
  }

  /** Ask the logic about cell `i` (row-major index). */
  #decide(i: number): boolean | PromiseLike<boolean> {
    const width = this.#width;
    const y = (i / width) | 0;
    const x = i - y * width;
    const at = (y + 1) * (width + 2) + x + 1;
    const halo = this.#halo;
    const neighbors = haloNeighbors(halo, width + 2, at);
    return this.#logic(halo[at] === 1, neighbors, new Cell(y, x, this.#controller.signal));
  }

  #startInline(i: number): void {
    const answer = this.#decide(i);
    if (typeof answer === 'boolean') this.#out[i] = answer ? 1 : 0;
    else if (answer instanceof Promise) this.#track(i, answer);
    else if (isThenable(answer)) this.#track(i, Promise.resolve(answer));
    else this.#out[i] = 0;
  }

  // The task the executor runs: a cell queued past a failure does nothing.
  readonly #task = (i: number): boolean | PromiseLike<boolean> | undefined =>
    this.#controller.signal.aborted ? undefined : this.#decide(i);

  #startOnExecutor(executor: Executor, i: number): void {
    this.#track(i, executor.submit(this.#task, i));
  }

  /** One `then` per pending cell: write its answer and settle it in the same handler. */
  #track(i: number, pending: Promise<unknown>): void {
    this.#inFlight++;
    pending.then((alive) => {
      this.#out[i] = alive === true ? 1 : 0;
      this.#settled();
    }, this.#failed);
  }

  #settled(): void {
    // Wake the sleeper only at its level: a wake per settled cell would cost a promise and
    // an async resume per cell.
    if (--this.#inFlight === this.#wakeAt) this.#wakeUp();
  }

  readonly #failed = (error: unknown): void => {
    this.#fail(error);
    this.#settled();
  };

  #fail(error: unknown): void {
    if (this.#failure === undefined) {
      this.#failure = { error };
      this.#controller.abort(error);
    }
    this.#wakeUp();
  }

  #sleepUntil(inFlight: number): Promise<void> {
    this.#wakeAt = inFlight;
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
  }

  #wakeUp(): void {
    const resolve = this.#wake;
    this.#wake = undefined;
    resolve?.();
  }
}

/**
 * One generation, the seed's `simulate`: fan out one task per cell through `executor`
 * (or start them all: unbounded gather), fan in, and return the next grid. The input grid is
 * not changed.
 *
 * The first error of any cell rejects with that very error and aborts the cells still
 * queued or running (their `CellContext.signal`); aborting `options.signal` rejects with its
 * reason.
 *
 * @example
 * import { AsyncPool } from '@fanout/executors';
 * await using pool = new AsyncPool({ maxConcurrency: 1000 });
 * const next = await simulate(grid, {
 *   executor: pool,
 *   logic: async (alive, n) => { await lookup(); return n === 3 || (alive && n === 2); },
 * });
 */
export async function simulate(grid: Grid, options: SimulateOptions = {}): Promise<Grid> {
  const maxInFlight = options.maxInFlight ?? 65_536;
  if (!Number.isSafeInteger(maxInFlight) || maxInFlight < 1) {
    throw new RangeError(`maxInFlight must be a positive integer, got ${maxInFlight}`);
  }
  options.signal?.throwIfAborted();
  return new Generation(grid, options, maxInFlight).run();
}
