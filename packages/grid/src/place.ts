import { gollyOffset } from './formats/bounded-grid.js';
import type { Pattern } from './formats/pattern.js';
import { Grid, type Topology } from './grid.js';

/** Options of `placePattern`. */
export interface PlacePatternOptions {
  readonly height: number;
  readonly width: number;
  /** Default `torus`. */
  readonly topology?: Topology;
  /**
   * Where the pattern's top-left corner goes: `'center'` (default: centred, rounding
   * toward the top-left), `'origin'` (0, 0), `'golly'` (where Golly puts a file's pattern
   * in a bounded grid: at its `#CXRLE Pos`, else centred Golly's way, else at the origin
   * when it does not fit) or an offset `{ x, y }` (wraps on a torus).
   */
  readonly at?: 'center' | 'origin' | 'golly' | { readonly x: number; readonly y: number };
}

/**
 * A new grid of the given size with the pattern placed in it.
 *
 * @example
 * placePattern(getBuiltinPattern('seed-demo'), { height: 5, width: 9 }).toString();
 * // '---*-----\n----*----\n--***----\n---------\n---------'
 * @throws {RangeError} if the pattern does not fit in the grid, or lands outside a plane.
 * @throws {WorldTooLargeError} for a grid past `MAX_GRID_CELLS` (checked before allocating).
 */
export function placePattern(pattern: Pattern, options: PlacePatternOptions): Grid {
  const { height, width, at = 'center' } = options;
  if (pattern.width > width || pattern.height > height) {
    throw new RangeError(
      `a ${pattern.width}x${pattern.height} pattern does not fit in a ${width}x${height} grid (width x height)`,
    );
  }
  const grid = new Grid(
    height,
    width,
    options.topology === undefined ? {} : { topology: options.topology },
  );
  const offset =
    at === 'center'
      ? { x: Math.floor((width - pattern.width) / 2), y: Math.floor((height - pattern.height) / 2) }
      : at === 'origin'
        ? { x: 0, y: 0 }
        : at === 'golly'
          ? gollyOffset(pattern, { width, height })
          : at;
  for (const [x, y] of pattern.liveCells) grid.set(y + offset.y, x + offset.x, true);
  return grid;
}
