import { InlineExecutor } from '@fanout/executors';
import { describe, expect, it } from 'vitest';
import { createBitwiseEngine } from './bitwise-engine.js';
import { createPerCellEngine } from './per-cell-engine.js';
import type { LifeEngine } from './engine.js';
import { EngineClosedError } from '../errors.js';
import { Grid, type Topology, type XY } from '../grid.js';
import { type LifeRule, parseRule } from '../rule.js';
import { createUnboundedEngine } from './unbounded-engine.js';

type Factory = (grid: Grid, rule?: LifeRule) => LifeEngine;

const inline = new InlineExecutor();
const bounded: [string, Factory][] = [
  ['cells (unbounded gather)', (grid, rule) => createPerCellEngine(grid, rule ? { rule } : {})],
  [
    'cells (InlineExecutor)',
    (grid, rule) => createPerCellEngine(grid, { executor: inline, ...(rule ? { rule } : {}) }),
  ],
  ['bitwise', (grid, rule) => createBitwiseEngine(grid, rule ? { rule } : {})],
];
// The unbounded engine matches a plane as long as nothing reaches the plane's edge.
const all: [string, Factory][] = [
  ...bounded,
  ['unbounded', (grid, rule) => createUnboundedEngine(grid, rule ? { rule } : {})],
];
const topologies: Topology[] = ['torus', 'plane'];

function soup(height: number, width: number, seed: number, topology: Topology, margin = 0): Grid {
  const grid = new Grid(height, width, { topology });
  let s = seed;
  for (let y = margin; y < height - margin; y++) {
    for (let x = margin; x < width - margin; x++) {
      s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
      if ((s >>> 8) % 5 < 2) grid.set(y, x, true);
    }
  }
  return grid;
}

const shifted = (cells: readonly XY[], dx: number, dy: number, w: number, h: number): XY[] =>
  cells
    .map(([x, y]): XY => [(x + dx + w) % w, (y + dy + h) % h])
    .sort((a, b) => a[1] - b[1] || a[0] - b[0]);

describe.each(all)('%s engine', (_, create) => {
  it.each(topologies)('keeps still lifes still (%s)', async (topology) => {
    const grid = Grid.fromString(
      [
        '------------',
        '-**---------',
        '-**----**---',
        '------*--*--',
        '-------**---',
        '------------',
      ].join('\n'),
      { topology },
    );
    await using engine = create(grid);
    await engine.step(3);
    expect(engine.generation).toBe(3);
    expect(engine.liveCells()).toEqual(grid.liveCells());
    expect(engine.population()).toBe(10);
  });

  it.each(topologies)('oscillates a blinker with period 2 (%s)', async (topology) => {
    const grid = Grid.fromString('-----\n--*--\n--*--\n--*--\n-----', { topology });
    await using engine = create(grid);
    await engine.step();
    expect(engine.liveCells()).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
    ]);
    await engine.step();
    expect(engine.liveCells()).toEqual(grid.liveCells());
  });

  it.each(topologies)(
    'moves a glider one cell diagonally every 4 generations (%s)',
    async (topology) => {
      const grid = Grid.fromCells(
        12,
        12,
        [
          [4, 3],
          [5, 4],
          [3, 5],
          [4, 5],
          [5, 5],
        ],
        { topology },
      );
      await using engine = create(grid);
      await engine.step(4);
      expect(engine.liveCells()).toEqual(shifted(grid.liveCells(), 1, 1, 12, 12));
      await engine.step(8);
      expect(engine.liveCells()).toEqual(shifted(grid.liveCells(), 3, 3, 12, 12));
    },
  );
});

describe.each(bounded)('%s engine on a torus', (_, create) => {
  it('wraps a glider across both edges of a world whose width is not a multiple of 32', async () => {
    const grid = Grid.fromCells(10, 37, [
      [34, 6],
      [35, 7],
      [33, 8],
      [34, 8],
      [35, 8],
    ]);
    await using engine = create(grid);
    await engine.step(20);
    expect(engine.liveCells()).toEqual(shifted(grid.liveCells(), 5, 5, 37, 10));
    expect(engine.snapshot().topology).toBe('torus');
  });
});

describe('all engines agree on random soups', () => {
  const rules = ['B3/S23', 'B36/S23', 'B2/S', 'B3678/S34678', 'B0/S8'].map(parseRule);
  const sizes: [number, number][] = [
    [1, 1],
    [3, 5],
    [17, 31],
    [16, 32],
    [9, 33],
    [20, 70],
  ];
  it.each(topologies)('cells and bitwise (%s)', async (topology) => {
    for (const rule of rules) {
      for (const [h, w] of sizes) {
        const grid = soup(h, w, h * 100 + w, topology);
        const cells = createPerCellEngine(grid, { rule });
        const bitwise = createBitwiseEngine(grid, { rule });
        for (let g = 0; g < 4; g++) {
          await cells.step();
          bitwise.stepSync();
          expect(
            bitwise.snapshot().equals(cells.snapshot()),
            `${topology} ${h}x${w} gen ${g}`,
          ).toBe(true);
        }
      }
    }
  });

  it('unbounded and bitwise on a plane with room to grow', async () => {
    for (const rule of rules.filter((r) => !r.birth.includes(0))) {
      const grid = soup(40, 45, 11, 'plane', 10);
      const unbounded = createUnboundedEngine(grid, { rule });
      const bitwise = createBitwiseEngine(grid, { rule });
      await unbounded.step(8);
      bitwise.stepSync(8);
      expect(unbounded.liveCells()).toEqual(bitwise.liveCells());
    }
  });
});

describe('engine lifecycle', () => {
  it('rejects bad generation counts, steps 0 as a no-op, closes idempotently', async () => {
    for (const [, create] of all) {
      const engine = create(Grid.fromString('***'));
      await expect(engine.step(-1)).rejects.toThrow(RangeError);
      await engine.step(0);
      expect(engine.generation).toBe(0);
      await engine.close();
      await engine.close();
      await expect(engine.step()).rejects.toBeInstanceOf(EngineClosedError);
    }
    const bitwise = createBitwiseEngine(Grid.fromString('***'));
    await bitwise.close();
    expect(() => bitwise.stepSync()).toThrow(EngineClosedError);
  });

  it('runs queued steps one after another', async () => {
    const engine = createPerCellEngine(Grid.fromString('-----\n--*--\n--*--\n--*--\n-----'), {
      logic: async (alive, n) => n === 3 || (alive && n === 2),
    });
    await Promise.all([engine.step(), engine.step(2), engine.step()]);
    expect(engine.generation).toBe(4);
    expect(engine.snapshot().toString()).toBe('-----\n--*--\n--*--\n--*--\n-----');
  });

  it('stops a long step on abort, at a whole generation', async () => {
    for (const [, create] of [all[2], all[3]] as [string, Factory][]) {
      const engine = create(soup(64, 64, 5, 'plane', 20));
      const controller = new AbortController();
      const running = engine.step(1_000_000, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('enough')), 60);
      await expect(running).rejects.toThrow('enough');
      expect(engine.generation).toBeGreaterThan(0);
      expect(engine.generation).toBeLessThan(1_000_000);
      await engine.close();
    }
  });

  it('an async rule error in the cells engine rejects the step with that error', async () => {
    const failure = new Error('Problem with I/O');
    const engine = createPerCellEngine(Grid.fromString('***'), {
      logic: async () => {
        throw failure;
      },
    });
    await expect(engine.step()).rejects.toBe(failure);
    expect(engine.generation).toBe(0);
  });

  it('bitwise exposes packed words for renderers', () => {
    const engine = createBitwiseEngine(Grid.fromCells(2, 40, [[33, 1]]));
    expect(engine.wordsPerRow).toBe(2);
    expect(engine.words[2 * 2 + 1]).toBe(2);
    expect(engine.isAlive(1, 33)).toBe(true);
    expect(engine.isAlive(1, 32)).toBe(false);
  });

  it('unbounded grows without wrapping and reports bounds and windows', async () => {
    const glider: XY[] = [
      [1, 0],
      [2, 1],
      [0, 2],
      [1, 2],
      [2, 2],
    ];
    const engine = createUnboundedEngine(glider);
    await engine.step(4 * 50);
    expect(engine.bounds()).toEqual({ x: 50, y: 50, width: 3, height: 3 });
    expect(engine.snapshot().toString()).toBe('-*-\n--*\n***');
    expect(engine.window(49, 49, 3, 3).population).toBe(1);
    const empty = createUnboundedEngine([[0, 0]]);
    await empty.step();
    expect(empty.bounds()).toBeUndefined();
    expect(empty.population()).toBe(0);
    expect(() => createUnboundedEngine([[2 ** 31, 0]])).toThrow(RangeError);
  });
});
