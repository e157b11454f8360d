import { createBitwiseEngine, getBuiltinPattern, Grid, placePattern } from '@fanout/grid';
import { describe, expect, it } from 'vitest';
import { Palette } from '../web/src/palette.js';
import {
  PatternLoadError,
  builtinChoices,
  loadBuiltin,
  parseUserPattern,
} from '../web/src/patterns.js';
import { createWorld } from '../web/src/world.js';

// The page's model, without a browser: what it paints and counts must be the engine's world.

const ALIVE = 0xffffffff;
const DEAD = 0xff000000;

function painted(pixels: Uint32Array, width: number): string[] {
  const cells: string[] = [];
  pixels.forEach((value, i) => {
    if (value === ALIVE) cells.push(`${i % width},${Math.floor(i / width)}`);
    else expect(value).toBe(DEAD);
  });
  return cells.sort();
}

function listed(cells: Array<[number, number]>): string[] {
  return cells.map(([x, y]) => `${x},${y}`).sort();
}

describe('viewer world', () => {
  it('paints exactly the live cells and returns the population, at widths that are not multiples of 32', () => {
    for (const [width, height] of [
      [64, 64],
      [40, 7],
      [33, 5],
      [5, 9],
    ] as const) {
      const world = createWorld(width, height, loadBuiltin('r-pentomino', 0));
      for (let i = 0; i < 30; i++) world.step();
      const pixels = new Uint32Array(width * height).fill(123);
      const population = world.paint(pixels, new Palette(ALIVE, DEAD));
      expect(painted(pixels, width)).toEqual(listed(world.liveCells()));
      expect(population).toBe(world.liveCells().length);
    }
  });

  it('wraps a glider around the torus and keeps its population', () => {
    const world = createWorld(8, 8, loadBuiltin('glider', 8));
    const start = listed(world.liveCells());
    for (let i = 0; i < 32; i++) world.step(); // 8 diagonal cells = once around an 8×8 torus
    expect(world.generation).toBe(32);
    expect(listed(world.liveCells())).toEqual(start);
  });

  it('centres the pattern like grid.placePattern', () => {
    const world = createWorld(16, 12, loadBuiltin('acorn', 16));
    const placed = placePattern(getBuiltinPattern('acorn'), { height: 12, width: 16 });
    expect(listed(world.liveCells())).toEqual(listed(placed.liveCells().map(([x, y]) => [x, y])));
    expect(world.liveCells().every(([x, y]) => x >= 4 && x < 12 && y >= 4 && y < 8)).toBe(true);
  });

  it('toggles a cell without losing the generation count', () => {
    const world = createWorld(16, 16);
    world.step();
    world.toggle(3, 4);
    expect(world.isAlive(3, 4)).toBe(true);
    expect(world.liveCells()).toEqual([[3, 4]]);
    expect(world.generation).toBe(1);
    world.step(); // a lone cell dies
    expect(world.liveCells()).toEqual([]);
    expect(world.generation).toBe(2);
  });

  it('edits the running world in place, across the torus edges, as a fresh world would step', () => {
    const world = createWorld(40, 6);
    for (let i = 0; i < 3; i++) world.step();
    // A vertical blinker through the top and bottom rows, in the last column: it needs the
    // engine's wrapped rows and columns to be edited too.
    for (const y of [5, 0, 1]) world.toggle(39, y);
    const fresh = createBitwiseEngine(
      Grid.fromCells(6, 40, [
        [39, 5],
        [39, 0],
        [39, 1],
      ]),
    );
    world.step();
    fresh.stepSync();
    expect(listed(world.liveCells())).toEqual(listed(fresh.liveCells().map(([x, y]) => [x, y])));
    expect(world.generation).toBe(4);
    world.toggle(38, 0); // alive: the blinker is horizontal now, through column 38
    expect(world.isAlive(38, 0)).toBe(false);
    world.toggle(38, 0);
    expect(world.isAlive(38, 0)).toBe(true);
  });

  it('runs a pattern under its own rule', () => {
    const pattern = parseUserPattern('x = 2, y = 1, rule = B1/S\n2o!\n', 'b1.rle');
    const world = createWorld(16, 16, pattern);
    expect(world.rule.birth).toEqual([1]);
    world.step();
    expect(world.liveCells().length).toBeGreaterThan(2);
  });
});

describe('viewer patterns', () => {
  it('offers every built-in pattern and a random soup', () => {
    const ids = builtinChoices().map((choice) => choice.id);
    expect(ids).toEqual(expect.arrayContaining(['glider', 'gosper-gun', 'acorn', 'random']));
  });

  it('makes the same random soup from the same seed', () => {
    const a = loadBuiltin('random', 32, 7);
    const b = loadBuiltin('random', 32, 7);
    expect(a.liveCells).toEqual(b.liveCells);
    expect(a.width).toBe(32);
    expect(a.liveCells.length).toBeGreaterThan(32 * 32 * 0.2);
    expect(a.liveCells.length).toBeLessThan(32 * 32 * 0.4);
  });

  it('names the source, line and column of a syntax error', () => {
    let caught: unknown;
    try {
      parseUserPattern('#N broken\nx = 3, y = 3\nbo$2bo$3q!\n', 'broken.rle');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PatternLoadError);
    expect((caught as Error).message).toMatch(/^broken\.rle, line 3, column 9: \S/);
    expect((caught as Error).cause).toBeInstanceOf(Error);
  });

  it('refuses a pattern without live cells', () => {
    expect(() => parseUserPattern('x = 3, y = 3\n3b!\n', 'empty.rle')).toThrow(
      /empty\.rle: the pattern has no live cells/,
    );
  });
});
