import { InlineExecutor } from '@fanout/executors';
import { describe, expect, it } from 'vitest';
import { fillSoup } from '../../test/soup.js';
import { WorldTooLargeError } from '../errors.js';
import { getBuiltinPattern } from '../formats/builtins.js';
import { parseRle } from '../formats/rle-reader.js';
import { Grid } from '../grid.js';
import { placePattern } from '../place.js';
import { parseRule } from '../rule.js';
import { createBitwiseEngine } from './bitwise-engine.js';
import { createEngine } from './create-engine.js';
import type { StepProgress } from './engine.js';

describe('createEngine', () => {
  it('builds every portable kind, and they agree', async () => {
    const grid = fillSoup(new Grid(20, 37, { topology: 'plane' }), 3);
    const rule = parseRule('B36/S23');
    const expected = createBitwiseEngine(grid, { rule });
    expected.stepSync(6);
    for (const kind of ['per-cell', 'bitwise', 'unbounded', 'hashlife'] as const) {
      await using engine = await createEngine(grid, { kind, rule });
      expect(engine.kind).toBe(kind);
      expect(engine.rule).toBe(rule);
      await engine.step(6);
      // The plane's edge kills what the unbounded worlds let live on: compare the others.
      if (kind !== 'unbounded' && kind !== 'hashlife')
        expect(engine.snapshot().equals(expected.snapshot()), kind).toBe(true);
    }
  });

  it('places a pattern in a world of the given size, centred, on a torus by default', async () => {
    const acorn = getBuiltinPattern('acorn');
    await using engine = await createEngine(acorn, {
      kind: 'bitwise',
      size: { height: 9, width: 11 },
    });
    expect(engine.snapshot().equals(placePattern(acorn, { height: 9, width: 11 }))).toBe(true);
    expect(engine.snapshot().topology).toBe('torus');
  });

  it("uses a pattern's Golly bounded grid as its world, placed where Golly puts it", async () => {
    const pattern = parseRle('x = 3, y = 1, rule = B3/S23:P10,4\n3o!');
    await using engine = await createEngine(pattern, { kind: 'per-cell' });
    const snapshot = engine.snapshot();
    expect([snapshot.height, snapshot.width, snapshot.topology]).toEqual([4, 10, 'plane']);
    // Golly: grid top-left at (-5, -2), box top-left at (-1, 0) → offset (4, 2).
    expect(snapshot.liveCells()).toEqual([
      [4, 2],
      [5, 2],
      [6, 2],
    ]);
  });

  it('passes the per-cell options to the per-cell engine', async () => {
    const seen: number[] = [];
    await using engine = await createEngine(Grid.fromString('***'), {
      kind: 'per-cell',
      executor: new InlineExecutor(),
      maxInFlight: 1,
      logic: (alive, neighbors, cell) => {
        seen.push(cell.x);
        return alive && neighbors > 0;
      },
    });
    await engine.step();
    expect(seen).toEqual([0, 1, 2]);
  });

  it('refuses options that do not apply to the kind, and the workers kind', async () => {
    const grid = new Grid(4, 4);
    await expect(createEngine(grid, { kind: 'bitwise', threads: 2 })).rejects.toThrow(
      /threads does not apply to the bitwise engine/,
    );
    await expect(
      createEngine(grid, { kind: 'unbounded', executor: new InlineExecutor() }),
    ).rejects.toThrow(/executor does not apply to the unbounded engine/);
    await expect(
      createEngine(getBuiltinPattern('glider'), {
        kind: 'unbounded',
        size: { height: 4, width: 4 },
      }),
    ).rejects.toThrow(/size does not apply/);
    await expect(
      createEngine(grid, { kind: 'bitwise', size: { height: 4, width: 4 } }),
    ).rejects.toThrow(/a Grid has its own size/);
    await expect(createEngine(getBuiltinPattern('glider'), { kind: 'bitwise' })).rejects.toThrow(
      /needs a size/,
    );
    await expect(
      // @ts-expect-error: the main entry does not build workers engines
      createEngine(grid, { kind: 'workers' }),
    ).rejects.toThrow(/@fanout\/grid\/workers/);
  });

  it('checks the size against the engine before allocating the world', async () => {
    const glider = getBuiltinPattern('glider');
    const huge = { height: 100_000, width: 100_000 };
    const error = await createEngine(glider, { kind: 'bitwise', size: huge }).catch((e) => e);
    expect(error).toBeInstanceOf(WorldTooLargeError);
    expect(error).toMatchObject({ engine: 'bitwise', height: 100_000, width: 100_000 });
    // The per-cell engine holds less than the packed ones: 20000x20000 is fine for bitwise…
    await expect(
      createEngine(glider, { kind: 'per-cell', size: { height: 20_000, width: 20_000 } }),
    ).rejects.toMatchObject({ code: 'FANOUT_WORLD_TOO_LARGE', engine: 'per-cell' });
    // …and an unbounded world holds a pattern whose box no bitmap could.
    const far = parseRle('x = 1000000000, y = 1000000000\no$999999998$999999999bo!');
    for (const kind of ['unbounded', 'hashlife'] as const) {
      await using engine = await createEngine(far, { kind });
      expect(engine.population()).toBe(2);
      expect(engine.bounds()).toEqual({ x: 0, y: 0, width: 1_000_000_000, height: 1_000_000_000 });
    }
  });
});

describe('step progress and slicing', () => {
  // (hashlife runs these 10^7 generations in milliseconds: its own test covers progress.)
  it.each(['per-cell', 'bitwise', 'unbounded'] as const)(
    '%s: reports progress between slices and once at the end, then never again',
    async (kind) => {
      const grid = fillSoup(new Grid(48, 48, { topology: 'plane' }), 9);
      await using engine = await createEngine(grid, { kind });
      const reports: StepProgress[] = [];
      let turns = 0;
      const ticker = setInterval(() => turns++, 0);
      // Long enough to need several slices on any machine: it stops itself after some turns.
      const controller = new AbortController();
      const step = engine.step(10_000_000, {
        signal: controller.signal,
        onProgress: (progress) => {
          reports.push(progress);
          if (turns >= 3) controller.abort(new Error('seen enough'));
        },
      });
      await expect(step).rejects.toThrow('seen enough');
      clearInterval(ticker);
      expect(turns).toBeGreaterThanOrEqual(3);
      expect(reports.length).toBeGreaterThan(0);
      for (const report of reports) {
        expect(report.total).toBe(10_000_000);
        expect(report.generation).toBe(report.done);
      }
      const dones = reports.map((report) => report.done);
      expect(dones).toEqual([...dones].sort((a, b) => a - b));
      const count = reports.length;
      const before = engine.generation;
      await engine.step(3, { onProgress: (progress) => reports.push(progress) });
      // The aborted call says nothing more; the new one may report between its slices too
      // (a slow machine can need more than one for three generations), and ends at 3.
      const later = reports.slice(count);
      expect(later.every((report) => report.total === 3)).toBe(true);
      expect(later.map((report) => report.generation - report.done)).toEqual(
        later.map(() => before),
      );
      expect(later.at(-1)).toEqual({ done: 3, total: 3, generation: engine.generation });
    },
  );

  it('a progress callback that throws rejects the step with its error, at a whole generation', async () => {
    await using engine = await createEngine(fillSoup(new Grid(64, 64), 1), { kind: 'bitwise' });
    const failure = new Error('progress broke');
    await expect(
      engine.step(10_000_000, {
        onProgress: () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
    const reference = createBitwiseEngine(fillSoup(new Grid(64, 64), 1));
    reference.stepSync(engine.generation);
    expect(engine.snapshot().equals(reference.snapshot())).toBe(true);
  });
});

describe('BitwiseEngine.set', () => {
  it('edits the current generation, keeping the torus wrap in step', () => {
    const engine = createBitwiseEngine(new Grid(5, 33));
    // A blinker across the top and bottom edges, in the last (partial-word) column.
    engine.set(4, 32, true);
    engine.set(0, 32, true);
    engine.set(-4, -1, true); // wraps to (1, 32), like Grid#set
    engine.stepSync();
    const grid = Grid.fromCells(5, 33, [
      [32, 4],
      [32, 0],
      [32, 1],
    ]);
    const fresh = createBitwiseEngine(grid);
    fresh.stepSync();
    expect(engine.liveCells()).toEqual(fresh.liveCells());
    expect(engine.liveCells()).toEqual([
      [0, 0],
      [31, 0],
      [32, 0],
    ]);
    engine.set(0, 0, false);
    expect(engine.isAlive(0, 0)).toBe(false);
    expect(engine.population()).toBe(2);
  });

  it('refuses cells outside a plane and edits after close', async () => {
    const engine = createBitwiseEngine(new Grid(3, 3, { topology: 'plane' }));
    expect(() => engine.set(3, 0, true)).toThrow(RangeError);
    expect(() => engine.set(0, -1, true)).toThrow(/outside the 3x3 plane/);
    engine.set(2, 2, true);
    expect(engine.words[engine.rowStart(2)]).toBe(0b100);
    await engine.close();
    expect(() => engine.set(0, 0, true)).toThrow(/closed/);
  });
});
