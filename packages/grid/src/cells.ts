import type { Executor } from '@fanout/executors';
import { Grid } from './grid.js';
import { CONWAY, type LifeRule, ruleMask } from './rule.js';

/** What a rule callback learns about the cell it decides. */
export interface CellContext {
  readonly y: number;
  readonly x: number;
  /** Aborted when the generation is abandoned (an error in another cell, or the caller's abort). */
  readonly signal: AbortSignal;
}

/**
 * The seed's `game_logic`: the next state of one cell from its state and its live
 * neighbour count. May be async (it may do I/O).
 */
export type LifeLogic = (
  alive: boolean,
  neighbors: number,
  cell: CellContext,
) => boolean | PromiseLike<boolean>;

/** Reads a cell, `(y, x)`. */
export type CellGetter = (y: number, x: number) => boolean;
/** Writes a cell, `(y, x, alive)`. */
export type CellSetter = (y: number, x: number, alive: boolean) => void;

/**
 * The default logic: apply a B/S rule.
 *
 * @example
 * const highLife = ruleLogic(parseRule('B36/S23'));
 */
export function ruleLogic(rule: LifeRule = CONWAY): LifeLogic {
  const mask = ruleMask(rule);
  return (alive, neighbors) => ((mask >>> (alive ? 9 + neighbors : neighbors)) & 1) === 1;
}

/**
 * Count the live cells among the 8 around `(y, x)`, read through `get` (which decides what
 * happens at the edges).
 *
 * @example
 * countNeighbors(1, 1, (y, x) => grid.get(y, x));
 */
export function countNeighbors(y: number, x: number, get: CellGetter): number {
  let n = 0;
  if (get(y - 1, x - 1)) n++;
  if (get(y - 1, x)) n++;
  if (get(y - 1, x + 1)) n++;
  if (get(y, x - 1)) n++;
  if (get(y, x + 1)) n++;
  if (get(y + 1, x - 1)) n++;
  if (get(y + 1, x)) n++;
  if (get(y + 1, x + 1)) n++;
  return n;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

const neverAborted = new AbortController().signal;

/**
 * Step one cell, the seed's `step_cell`: read its state, count its neighbours, ask `logic`,
 * write the answer. Returns a promise only when `logic` is async.
 *
 * @example
 * await stepCell(0, 3, (y, x) => grid.get(y, x), (y, x, a) => next.set(y, x, a), ruleLogic());
 */
export function stepCell(
  y: number,
  x: number,
  get: CellGetter,
  set: CellSetter,
  logic: LifeLogic = ruleLogic(),
  signal: AbortSignal = neverAborted,
): void | Promise<void> {
  const state = get(y, x);
  const neighbors = countNeighbors(y, x, get);
  const next = logic(state, neighbors, { y, x, signal });
  if (isThenable(next)) {
    return Promise.resolve(next).then((alive) => set(y, x, alive === true));
  }
  set(y, x, next === true);
}

/** Options of `simulate`. */
export interface SimulateOptions {
  /**
   * Runs one task per cell (`InlineExecutor`, `AsyncPool`, ...). Undefined: unbounded
   * gather, every cell's task is started at once (within `maxInFlight`) and fanned in.
   * An executor with `waitForRoom()` (a bounded `AsyncPool` queue) is fed only when it has
   * room.
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

interface RoomAware {
  waitForRoom(options?: { signal?: AbortSignal }): Promise<void>;
  readonly maxQueue?: number;
}

/** The executor, if it can refuse work for a full queue and can say when it has room. */
function boundedQueue(executor: Executor | undefined): (Executor & RoomAware) | undefined {
  if (executor === undefined) return undefined;
  const candidate = executor as Executor & Partial<RoomAware>;
  if (typeof candidate.waitForRoom !== 'function') return undefined;
  // An unbounded queue never refuses: skip the per-cell wait.
  if (candidate.maxQueue === Number.POSITIVE_INFINITY) return undefined;
  return candidate as Executor & RoomAware;
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
  const { executor, signal } = options;
  const maxInFlight = options.maxInFlight ?? 65_536;
  if (!Number.isSafeInteger(maxInFlight) || maxInFlight < 1) {
    throw new RangeError(`maxInFlight must be a positive integer, got ${maxInFlight}`);
  }
  signal?.throwIfAborted();
  const logic = options.logic ?? ruleLogic(options.rule ?? CONWAY);
  const next = new Grid(grid.height, grid.width, { topology: grid.topology });
  const get: CellGetter = (y, x) => grid.get(y, x);
  const set: CellSetter = (y, x, alive) => next.set(y, x, alive);
  const room = boundedQueue(executor);

  const controller = new AbortController();
  let failure: { readonly error: unknown } | undefined;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const wakeUp = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const fail = (error: unknown): void => {
    if (failure === undefined) {
      failure = { error };
      controller.abort(error);
    }
    wakeUp();
  };
  const settled = (): void => {
    inFlight--;
    if (inFlight < maxInFlight) wakeUp();
  };
  const failed = (error: unknown): void => {
    fail(error);
    settled();
  };
  const onAbort = (): void => fail(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const cellSignal = controller.signal;
  // A queued cell that starts after the generation failed does nothing.
  const stepQueued = (y: number, x: number): void | Promise<void> =>
    cellSignal.aborted ? undefined : stepCell(y, x, get, set, logic, cellSignal);

  try {
    feed: for (let y = 0; y < grid.height; y++) {
      for (let x = 0; x < grid.width; x++) {
        while (inFlight >= maxInFlight && failure === undefined) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
        if (room !== undefined && failure === undefined) {
          try {
            await room.waitForRoom({ signal: cellSignal });
          } catch (error) {
            fail(error);
          }
        }
        if (failure !== undefined) break feed;
        let pending: void | PromiseLike<void>;
        if (executor !== undefined) {
          // One shared signal rather than the `run` option per task: a listener per queued
          // task would pile O(cells) listeners onto one signal.
          pending = executor.submit(stepQueued, y, x);
        } else {
          try {
            pending = stepCell(y, x, get, set, logic, cellSignal);
          } catch (error) {
            fail(error);
            break feed;
          }
        }
        if (pending !== undefined) {
          inFlight++;
          pending.then(settled, failed);
        }
      }
    }
    while (inFlight > 0 && failure === undefined) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure !== undefined) throw failure.error;
    return next;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
