import { seededRandom } from '@fanout/internal/random';
import type { XY } from './grid.js';
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
  const { height, width, density, seed } = options;
  if (!Number.isInteger(height) || height < 1 || !Number.isInteger(width) || width < 1) {
    throw new RangeError(`soup size must be positive integers, got ${height}x${width}`);
  }
  if (!(density >= 0 && density <= 1)) {
    throw new RangeError(`density must be between 0 and 1, got ${density}`);
  }
  const next = seededRandom(seed);
  const cells: XY[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (next() < density) cells.push([x, y]);
  }
  return { width, height, cells, comments: [] };
}
