import { describe, expect, it } from 'vitest';
import { Grid } from './grid.js';

describe('Grid', () => {
  it('wraps get and set on a torus, like the seed', () => {
    const grid = new Grid(5, 9);
    expect(grid.topology).toBe('torus');
    grid.set(-1, -1, true);
    expect(grid.get(4, 8)).toBe(true);
    expect(grid.get(9, 17)).toBe(true);
    expect(grid.population).toBe(1);
    grid.set(4, 8, false);
    expect(grid.population).toBe(0);
  });

  it('is dead outside a plane and refuses writes there', () => {
    const grid = new Grid(3, 3, { topology: 'plane' });
    grid.set(0, 0, true);
    expect(grid.get(-1, -1)).toBe(false);
    expect(grid.get(3, 3)).toBe(false);
    expect(() => grid.set(3, 0, true)).toThrow(RangeError);
  });

  it('rejects bad sizes and topologies', () => {
    expect(() => new Grid(0, 3)).toThrow(/height must be a positive integer/);
    expect(() => new Grid(3, 1.5)).toThrow(/width must be a positive integer/);
    // @ts-expect-error an unknown topology
    expect(() => new Grid(3, 3, { topology: 'sphere' })).toThrow(/unknown topology/);
  });

  it('prints rows of * and - like the seed, and reads them back', () => {
    const grid = Grid.fromCells(3, 4, [
      [1, 0],
      [3, 2],
    ]);
    expect(grid.toString()).toBe('-*--\n----\n---*');
    expect(Grid.fromString(grid.toString()).equals(grid)).toBe(true);
    expect(() => Grid.fromString('-*\n-')).toThrow(/row 2 has 1 cells/);
    expect(() => Grid.fromString('-x')).toThrow(/unexpected "x" at row 1, column 2/);
  });

  it('lists live cells as [x, y] in row-major order', () => {
    const grid = Grid.fromCells(3, 3, [
      [2, 2],
      [0, 1],
      [1, 1],
    ]);
    expect(grid.liveCells()).toEqual([
      [0, 1],
      [1, 1],
      [2, 2],
    ]);
  });

  it('compares size, topology and cells; clones independently', () => {
    const a = Grid.fromCells(2, 2, [[0, 0]]);
    const b = a.clone();
    expect(a.equals(b)).toBe(true);
    b.set(1, 1, true);
    expect(a.equals(b)).toBe(false);
    expect(a.get(1, 1)).toBe(false);
    expect(a.equals(Grid.fromCells(2, 2, [[0, 0]], { topology: 'plane' }))).toBe(false);
    expect(a.equals(Grid.fromCells(2, 3, [[0, 0]]))).toBe(false);
  });
});
