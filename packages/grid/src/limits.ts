/**
 * How large a world or a pattern may be, checked before anything is allocated, so bad input
 * fails with a typed error instead of an out-of-memory abort or a raw
 * `Invalid typed array length`.
 */
import type { EngineKind } from './engines/engine.js';
import { WorldTooLargeError } from './errors.js';

/**
 * Most cells of a `Grid` (one byte each: 1 GiB), and so of any bounded world, which is
 * described by a grid.
 */
export const MAX_GRID_CELLS = 2 ** 30;

/**
 * Pattern and unbounded-world coordinates stay below this in absolute value (a pattern's
 * cells have `0 <= x, y < MAX_COORDINATE`; the unbounded engine keys tiles by them).
 */
export const MAX_COORDINATE = 2 ** 30;

/**
 * Default most live cells a pattern file may hold (`ParsePatternOptions.maxLiveCells`): a
 * pattern keeps each as an `[x, y]` pair, about 70 bytes, so this is about 1.2 GB of heap.
 */
export const DEFAULT_MAX_LIVE_CELLS = 2 ** 24;

/**
 * Most cells of a bounded world per engine: the per-cell engine keeps three bytes per cell
 * (the grid, its halo copy, the next grid), the packed engines a grid plus two bitmaps. The
 * unbounded engine stores only live cells; its world spans coordinates of ±2^30. The
 * hashlife engine has no limit (its memory is bounded by `maxMemoryMb`).
 */
const WORLD_LIMITS: Readonly<Record<EngineKind, number>> = Object.freeze({
  'per-cell': 2 ** 28,
  bitwise: MAX_GRID_CELLS,
  workers: MAX_GRID_CELLS,
  unbounded: (2 * MAX_COORDINATE) ** 2,
  // A compressed quadtree: its plane has no edges and its size no bound (memory is
  // bounded by maxMemoryMb instead).
  hashlife: Number.POSITIVE_INFINITY,
});

/**
 * The most cells a world may have on an engine (height × width).
 *
 * @example
 * worldLimit('bitwise'); // 1073741824
 */
export function worldLimit(kind: EngineKind): number {
  const limit = WORLD_LIMITS[kind];
  if (limit === undefined) throw new RangeError(`unknown engine kind ${JSON.stringify(kind)}`);
  return limit;
}

/**
 * Throws `WorldTooLargeError` if a `height × width` world is more than `kind` can hold
 * (or, without `kind`, more than a `Grid` holds). Call it before building a large world
 * (`new Grid`, `placePattern` and `createEngine` call it themselves).
 *
 * @example
 * checkWorldSize({ height: 100_000, width: 100_000 }, 'bitwise'); // throws WorldTooLargeError
 */
export function checkWorldSize(
  size: { readonly height: number; readonly width: number },
  kind?: EngineKind,
): void {
  const limit = kind === undefined ? MAX_GRID_CELLS : worldLimit(kind);
  const { height, width } = size;
  const tooWide =
    kind === 'unbounded' && (height > 2 * MAX_COORDINATE || width > 2 * MAX_COORDINATE);
  if (height * width > limit || tooWide) throw new WorldTooLargeError(size, kind, limit);
}
