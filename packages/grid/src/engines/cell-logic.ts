import { isThenable } from '@fanout/internal/thenable';
import { CONWAY, type LifeRule, ruleMask } from '../rule.js';

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
    const pending = next instanceof Promise ? next : Promise.resolve(next);
    return pending.then((alive) => set(y, x, alive === true));
  }
  set(y, x, next === true);
}
