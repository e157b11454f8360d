import { describe, expect, it } from 'vitest';
import { WorldTooLargeError } from './errors.js';
import { getBuiltinPattern } from './formats/builtins.js';
import { Grid } from './grid.js';
import { checkWorldSize, MAX_GRID_CELLS, worldLimit } from './limits.js';
import { placePattern } from './place.js';
import { randomGrid, randomSoup } from './random-soup.js';

describe('world limits', () => {
  it('each engine holds what it can: per-cell least, unbounded most', () => {
    expect(worldLimit('per-cell')).toBe(2 ** 28);
    expect(worldLimit('bitwise')).toBe(MAX_GRID_CELLS);
    expect(worldLimit('workers')).toBe(MAX_GRID_CELLS);
    expect(worldLimit('unbounded')).toBeGreaterThan(1e18);
    expect(() => checkWorldSize({ height: 20_000, width: 20_000 }, 'per-cell')).toThrow(
      WorldTooLargeError,
    );
    checkWorldSize({ height: 20_000, width: 20_000 }, 'bitwise');
    expect(() => checkWorldSize({ height: 100_000, width: 100_000 }, 'bitwise')).toThrow(
      /a 100000x100000 world \(10000000000 cells\) is larger than the bitwise engine holds \(at most 1073741824 cells\)/,
    );
    checkWorldSize({ height: 1e9, width: 1e9 }, 'unbounded');
    expect(() => checkWorldSize({ height: 1, width: 2 ** 32 }, 'unbounded')).toThrow(
      WorldTooLargeError,
    );
  });

  it('a Grid, a placed pattern and a random world refuse sizes past the limit before allocating', () => {
    for (const build of [
      () => new Grid(1e9, 1e9),
      () => new Grid(2 ** 15, 2 ** 15 + 1),
      () => placePattern(getBuiltinPattern('glider'), { height: 1e6, width: 1e6 }),
      () => randomGrid({ height: 1e5, width: 1e5, density: 0.5, seed: 1 }),
      () => randomSoup({ height: 1e5, width: 1e5, density: 0.5, seed: 1 }),
    ]) {
      const error = (() => {
        try {
          build();
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(WorldTooLargeError);
      expect((error as WorldTooLargeError).engine).toBeUndefined();
    }
  });

  it('randomGrid draws the same soup as randomSoup, cell for cell', () => {
    for (const [height, width, density, seed] of [
      [17, 33, 0.3, 7],
      [1, 1, 1, 2],
      [64, 10, 0.5, 123],
    ] as const) {
      const soup = randomSoup({ height, width, density, seed });
      const grid = randomGrid({ height, width, density, seed, topology: 'plane' });
      expect(grid.liveCells()).toEqual(soup.liveCells);
      expect(grid.topology).toBe('plane');
    }
  });
});
