import { seededRandom } from '@fanout/internal/random';
import { cellBytes, Grid, type Topology, type XY } from './grid.js';
import { checkWorldSize, DEFAULT_MAX_LIVE_CELLS } from './limits.js';
import type { Pattern } from './formats/pattern.js';

/** Options of `randomSoup`. */
export interface RandomSoupOptions {
  readonly height: number;
  readonly width: number;
  /** Chance that a cell starts alive, from 0 to 1. */
  readonly density: number;
  /** The same seed always gives the same soup (any 32-bit integer). */
  readonly seed: number;
}

/**
 * A reproducible random soup filling `height` × `width`: each cell is alive with
 * probability `density`, drawn from a seeded mulberry32 generator so that
 * `fanout life --random 0.3 --seed 7` and the browser viewer agree cell for cell.
 *
 * @example
 * ```ts
 * const soup = randomSoup({ height: 64, width: 64, density: 0.3, seed: 7 });
 * const grid = placePattern(soup, { height: 64, width: 64 });
 * ```
 */
export function randomSoup(options: RandomSoupOptions): Pattern {
  const { height, width, density, seed } = checkSoup(options);
  checkWorldSize({ height, width });
  const next = seededRandom(seed);
  const liveCells: XY[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (next() < density) liveCells.push([x, y]);
    if (liveCells.length > DEFAULT_MAX_LIVE_CELLS) {
      throw new RangeError(
        `a ${height}x${width} soup of density ${density} has more than ${DEFAULT_MAX_LIVE_CELLS} live cells; use randomGrid`,
      );
    }
  }
  return { width, height, liveCells, comments: [] };
}

function checkSoup(options: RandomSoupOptions): RandomSoupOptions {
  const { height, width, density } = options;
  if (!Number.isInteger(height) || height < 1 || !Number.isInteger(width) || width < 1) {
    throw new RangeError(`soup size must be positive integers, got ${height}x${width}`);
  }
  if (!(density >= 0 && density <= 1)) {
    throw new RangeError(`density must be between 0 and 1, got ${density}`);
  }
  return options;
}

/** Options of `randomGrid`. */
export interface RandomGridOptions extends RandomSoupOptions {
  /** Default `torus`. */
  readonly topology?: Topology;
}

/**
 * The same soup as `randomSoup` (cell for cell, for the same seed), written straight into
 * a new `Grid` without a list of cells: a large random world costs one byte per cell.
 *
 * @example
 * const grid = randomGrid({ height: 2048, width: 2048, density: 0.5, seed: 1 });
 * @throws {WorldTooLargeError} past `MAX_GRID_CELLS` (checked before allocating).
 */
export function randomGrid(options: RandomGridOptions): Grid {
  const { height, width, density, seed } = checkSoup(options);
  const grid = new Grid(
    height,
    width,
    options.topology === undefined ? {} : { topology: options.topology },
  );
  const cells = cellBytes(grid);
  const next = seededRandom(seed);
  for (let i = 0; i < cells.length; i++) if (next() < density) cells[i] = 1;
  return grid;
}
