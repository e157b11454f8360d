import { afterEach, describe, expect, it } from 'vitest';
import type * as Main from '../src/index.js';
import type * as Workers from '../src/engines/workers/index.js';
import { fillSoup } from './soup.js';

// Tests the built worker entry: the engine resolves dist/grid-worker.js next to itself.
// Types come from the sources so type-checking does not need a build.
const distMain: string = '../dist/index.js';
const distWorkers: string = '../dist/workers.js';
const { createBitwiseEngine, EngineClosedError, Grid, parseRule } = (await import(
  distMain
)) as typeof Main;
const { createEngine, createWorkersEngine } = (await import(distWorkers)) as typeof Workers;
type Grid = Main.Grid;
type Topology = Main.Topology;
type WorkersEngine = Workers.WorkersEngine;

const open: WorkersEngine[] = [];
async function workers(grid: Grid, options: Parameters<typeof createWorkersEngine>[1] = {}) {
  const engine = await createWorkersEngine(grid, options);
  open.push(engine);
  return engine;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((engine) => engine.close()));
});

function soup(height: number, width: number, seed: number, topology: Topology): Grid {
  return fillSoup(new Grid(height, width, { topology }), seed);
}

describe.each(['torus', 'plane'] as Topology[])('workers engine (%s)', (topology) => {
  it('keeps a block still, blinks a blinker, moves a glider', async () => {
    const block = await workers(
      Grid.fromCells(
        6,
        6,
        [
          [2, 2],
          [3, 2],
          [2, 3],
          [3, 3],
        ],
        { topology },
      ),
    );
    await block.step(3);
    expect(block.population()).toBe(4);

    const blinker = Grid.fromString('-----\n--*--\n--*--\n--*--\n-----', { topology });
    const engine = await workers(blinker, { threads: 2 });
    await engine.step();
    expect(engine.snapshot().toString()).toBe('-----\n-----\n-***-\n-----\n-----');
    await engine.step();
    expect(engine.snapshot().equals(blinker)).toBe(true);

    const glider = Grid.fromCells(
      12,
      40,
      [
        [4, 3],
        [5, 4],
        [3, 5],
        [4, 5],
        [5, 5],
      ],
      { topology },
    );
    const moving = await workers(glider, { threads: 3 });
    await moving.step(4);
    expect(moving.liveCells()).toEqual(glider.liveCells().map(([x, y]) => [x + 1, y + 1]));
    expect(moving.generation).toBe(4);
  });

  it('matches the bitwise engine on random soups for several rules, sizes and thread counts', async () => {
    const cases: [number, number, string, number][] = [
      [37, 45, 'B3/S23', 2],
      [50, 33, 'B36/S23', 3],
      [5, 100, 'B2/S', 2],
      [64, 64, 'B3678/S34678', 4],
      [3, 31, 'B3/S23', 5],
    ];
    for (const [h, w, text, threads] of cases) {
      const rule = parseRule(text);
      const grid = soup(h, w, h * w, topology);
      const expected = createBitwiseEngine(grid, { rule });
      const engine = await workers(grid, { rule, threads });
      expect(engine.threads).toBe(Math.min(threads, h));
      for (const n of [1, 1, 7, 20]) {
        expected.stepSync(n);
        await engine.step(n);
        expect(engine.snapshot().equals(expected.snapshot()), `${h}x${w} ${text}`).toBe(true);
      }
    }
  });
});

describe('workers engine lifecycle', () => {
  it('stops on abort at a whole generation and can go on afterwards', async () => {
    const grid = soup(256, 256, 9, 'torus');
    const engine = await workers(grid, { threads: 2 });
    const controller = new AbortController();
    const running = engine.step(10_000_000, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('enough')), 100);
    await expect(running).rejects.toThrow('enough');
    const done = engine.generation;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(10_000_000);
    const expected = createBitwiseEngine(grid);
    expected.stepSync(done + 3);
    await engine.step(3);
    expect(engine.snapshot().equals(expected.snapshot())).toBe(true);
  });

  it('reports progress while the threads run, and a throwing callback stops the step', async () => {
    const grid = soup(256, 256, 4, 'torus');
    const engine = await workers(grid, { threads: 2 });
    const reports: { done: number; total: number; generation: number }[] = [];
    const stop = new Error('stop here');
    const running = engine.step(10_000_000, {
      onProgress: (progress) => {
        reports.push(progress);
        if (reports.length === 3) throw stop;
      },
    });
    await expect(running).rejects.toBe(stop);
    expect(reports).toHaveLength(3);
    const dones = reports.map((report) => report.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(reports.every((report) => report.total === 10_000_000)).toBe(true);
    // Stopped like an abort: a whole generation, at least as far as the last report.
    expect(engine.generation).toBeGreaterThanOrEqual(dones[2]!);
    const expected = createBitwiseEngine(grid);
    expected.stepSync(engine.generation);
    expect(engine.snapshot().equals(expected.snapshot())).toBe(true);
    const after: { done: number; total: number }[] = [];
    await engine.step(5, { onProgress: ({ done, total }) => after.push({ done, total }) });
    // Only the new call reports (a slow machine may need several slices for its five
    // generations), in order, ending at 5: the stopped call never reports again.
    expect(after.every(({ total }) => total === 5)).toBe(true);
    const afterDones = after.map(({ done }) => done);
    expect(afterDones).toEqual([...afterDones].sort((a, b) => a - b));
    expect(afterDones.at(-1)).toBe(5);
  });

  it('is built by createEngine of the workers entry, which builds the other kinds too', async () => {
    const grid = soup(40, 40, 2, 'plane');
    const engine = await createEngine(grid, { kind: 'workers', threads: 2 });
    open.push(engine);
    expect([engine.kind, engine.threads]).toEqual(['workers', 2]);
    const bitwise = await createEngine(grid, { kind: 'bitwise' });
    await engine.step(9);
    await bitwise.step(9);
    expect(engine.snapshot().equals(bitwise.snapshot())).toBe(true);
    await expect(createEngine(grid, { kind: 'bitwise', threads: 2 })).rejects.toThrow(RangeError);
  });

  it('closes idempotently; steps after close reject', async () => {
    const engine = await createWorkersEngine(Grid.fromString('***'));
    await engine.step();
    await Promise.all([engine.close(), engine.close()]);
    await expect(engine.step()).rejects.toBeInstanceOf(EngineClosedError);
    await expect(createWorkersEngine(Grid.fromString('*'), { threads: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});
