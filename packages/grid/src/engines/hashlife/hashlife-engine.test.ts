import { readFileSync } from 'node:fs';
import { deferred } from '@fanout/test-kit';
import { seededRandom } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { createBitwiseEngine } from '../bitwise-engine.js';
import { getBuiltinPattern } from '../../formats/builtins.js';
import { EngineClosedError } from '../../errors.js';
import { Grid, type XY } from '../../grid.js';
import { parseRle } from '../../formats/rle-reader.js';
import { parseRule } from '../../rule.js';
import { createUnboundedEngine } from '../unbounded-engine.js';
import { HashLifeMemoryError } from '../../errors.js';
import { createEngine } from '../create-engine.js';
import { createHashLifeEngine } from './hashlife-engine.js';
import { BYTES_PER_NODE } from './node-store.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const key = (cells: readonly XY[]): string => cells.map(([x, y]) => `${x},${y}`).join(' ');

function soupCells(seed: number, size: number, density: number): XY[] {
  const random = seededRandom(seed);
  const cells: XY[] = [];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) if (random() < density) cells.push([x, y]);
  return cells;
}

describe('hashlife: published populations at large generation counts', () => {
  // LifeWiki: acorn stabilises at generation 5206 with 633 cells; the R-pentomino at 1103
  // with 116 cells.
  it('acorn is 633 cells at generation 5206 and stays so', async () => {
    await using engine = createHashLifeEngine(getBuiltinPattern('acorn'));
    await engine.step(5206);
    expect(engine.population()).toBe(633);
    await engine.step(1_000_000 - 5206);
    expect(engine.exactGeneration).toBe(1_000_000n);
    expect(engine.population()).toBe(633);
  });

  it('the R-pentomino is 116 cells at generation 1103', async () => {
    await using engine = createHashLifeEngine(getBuiltinPattern('r-pentomino'));
    await engine.step(1103);
    expect(engine.population()).toBe(116);
  });

  it('the Gosper gun at 10^9: one 5-cell glider per 30 generations (166,666,713 cells)', async () => {
    await using engine = createHashLifeEngine(getBuiltinPattern('gosper-gun'));
    await engine.step('1e9');
    expect(engine.exactGeneration).toBe(10n ** 9n);
    // Golly (bgolly -h -m 1000000000) reports the same count.
    expect(engine.exactPopulation()).toBe(166_666_713n);
  });

  it('a glider at 10^12 has moved 2.5 * 10^11 cells diagonally', async () => {
    await using engine = createHashLifeEngine(getBuiltinPattern('glider'));
    await engine.step(10n ** 12n);
    expect(engine.population()).toBe(5);
    expect(engine.bounds()).toEqual({ x: 2.5e11, y: 2.5e11, width: 3, height: 3 });
    expect(key(engine.window(2.5e11, 2.5e11, 3, 3).liveCells())).toBe(
      key(getBuiltinPattern('glider').liveCells),
    );
  });

  it('a breeder (2596x1 quadratic growth, Chris Cain 2015): 7,633 cells at 8192 as in Golly', async () => {
    await using engine = createHashLifeEngine(parseRle(fixture('quadratic-growth-2596x1.rle')));
    await engine.step(8192);
    expect(engine.population()).toBe(7633);
  });

  it('a glider at 2^60 has an exact bounding box past 2^53', async () => {
    await using engine = createHashLifeEngine(getBuiltinPattern('glider'));
    await engine.step('2^60');
    expect(engine.exactBounds()).toEqual({ x: 2n ** 58n, y: 2n ** 58n, width: 3n, height: 3n });
  });

  it('populations and generations past 2^53 are exact bigints', async () => {
    // A glider gun's population grows by 5 cells a glider: past 2^53 after ~5.4e16 generations.
    await using engine = createHashLifeEngine(getBuiltinPattern('gosper-gun'));
    await engine.step('2^60');
    expect(engine.exactGeneration).toBe(2n ** 60n);
    const population = engine.exactPopulation();
    expect(population > 2n ** 53n).toBe(true);
    // 2^60 = 30 * q + r; gliders = q (+1 after phase), 5 cells each, plus the gun (36..48).
    const gliders = 2n ** 60n / 30n;
    expect(population - gliders * 5n).toBeGreaterThanOrEqual(36n);
    expect(population - gliders * 5n).toBeLessThanOrEqual(60n);
  });
});

describe('hashlife: jumps', () => {
  it.each([5, 8, 11])(
    'one jump of 2^%i equals doubling steps 1, 1, 2, 4, ... 2^(k-1)',
    async (k) => {
      const cells = soupCells(k, 20, 0.4);
      await using jump = createHashLifeEngine(cells);
      await using doubling = createHashLifeEngine(cells);
      await jump.step(2 ** k);
      await doubling.step(1);
      for (let i = 0; i < k; i++) await doubling.step(2 ** i);
      expect(doubling.generation).toBe(2 ** k);
      expect(key(jump.liveCells())).toBe(key(doubling.liveCells()));
    },
  );

  it('steps of any size compose: 1000 = 999 + 1 = 500 + 250 + 250 = 1000 x 1', async () => {
    const pattern = getBuiltinPattern('acorn');
    const splits = [[1000], [999, 1], [500, 250, 250], Array.from({ length: 1000 }, () => 1)];
    const results: string[] = [];
    for (const split of splits) {
      await using engine = createHashLifeEngine(pattern);
      for (const n of split) await engine.step(n);
      results.push(key(engine.liveCells()));
    }
    expect(new Set(results).size).toBe(1);
  });

  it('accepts bigints and strings like 2^40 and 1e12; rejects bad counts', async () => {
    await using engine = createHashLifeEngine(getBuiltinPattern('blinker'));
    await engine.step('2^40');
    await engine.step(3n);
    expect(engine.exactGeneration).toBe(2n ** 40n + 3n);
    await expect(engine.step(-1)).rejects.toMatchObject({ code: 'FANOUT_GENERATION_COUNT' });
    await expect(engine.step('ten')).rejects.toThrow(/invalid generation count "ten"/);
    await expect(engine.step(1.5)).rejects.toThrow(/whole number/);
  });
});

describe('hashlife: B0 rules, as Golly runs them', () => {
  // The true world under a B0 rule has infinitely many live cells. Golly (and this engine)
  // show even generations as they are and odd ones complemented (B0 without S8), or the
  // complement always (B0 with S8). On a torus far larger than the pattern's reach the
  // true world is exact, so it is the reference.
  it.each([
    ['B036/S23', false],
    ['B01/S2', false],
    ['B0123478/S34678', true],
  ])('%s matches the true world on a big torus, complemented as Golly does', async (text, s8) => {
    const rule = parseRule(text);
    const size = 64;
    const cells = soupCells(text.length, 10, 0.4).map(([x, y]): XY => [x + 27, y + 27]);
    // With S8 the shown world is the complement of the true one from the start.
    const truth = Grid.fromCells(size, size, cells, { topology: 'torus' });
    if (s8)
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) truth.set(y, x, !truth.get(y, x));
    await using bitwise = createBitwiseEngine(truth, { rule });
    await using hashlife = createHashLifeEngine(cells, { rule });
    for (let g = 0; g <= 20; g++) {
      const complemented = s8 || g % 2 === 1;
      const world = bitwise.snapshot();
      const expected: XY[] = [];
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) if (world.get(y, x) !== complemented) expected.push([x, y]);
      }
      if (key(hashlife.liveCells()) !== key(expected)) throw new Error(`${text}: generation ${g}`);
      await Promise.all([bitwise.step(), hashlife.step()]);
    }
  });

  it('B036/S23 at generation 33 is what Golly (bgolly 3.3, QuickLife) wrote', async () => {
    const start = parseRle(fixture('b036-soup.rle'));
    const golly = parseRle(fixture('b036-soup-gen33.golly.rle'));
    await using engine = createHashLifeEngine(start, { rule: start.rule! });
    await engine.step(33);
    const b = engine.bounds()!;
    expect([b.width, b.height]).toEqual([golly.width, golly.height]);
    expect(key(engine.window(b.x, b.y, b.width, b.height).liveCells())).toBe(key(golly.liveCells));
  });

  it('big jumps with alternating rules start from even generations', async () => {
    const rule = parseRule('B036/S23');
    const cells = soupCells(9, 10, 0.4);
    await using ones = createHashLifeEngine(cells, { rule });
    await using jumps = createHashLifeEngine(cells, { rule });
    for (let i = 0; i < 45; i++) await ones.step(1);
    await jumps.step(1);
    await jumps.step(12);
    await jumps.step(32);
    expect(key(jumps.liveCells())).toBe(key(ones.liveCells()));
  });
});

describe('hashlife: bounded memory', () => {
  it('stays under maxMemoryMb by collecting, on a run that needs far more nodes', async () => {
    const maxMemoryMb = 0.5;
    await using engine = createHashLifeEngine(getBuiltinPattern('acorn'), { maxMemoryMb });
    await using reference = createUnboundedEngine(getBuiltinPattern('acorn'));
    for (const n of [1000, 1000, 3206]) {
      await Promise.all([engine.step(n), reference.step(n)]);
      const stats = engine.stats();
      expect(stats.bytes).toBeLessThanOrEqual(maxMemoryMb * 2 ** 20);
      expect(stats.maxBytes).toBe(maxMemoryMb * 2 ** 20);
    }
    expect(key(engine.liveCells())).toBe(key(reference.liveCells()));
    expect(engine.population()).toBe(633);
    const stats = engine.stats();
    expect(stats.collections).toBeGreaterThan(0);
    // Without collection the nodes made would need several times the limit.
    expect(stats.nodesCreated * BYTES_PER_NODE).toBeGreaterThan(4 * stats.maxBytes);
  });

  it('says so with HashLifeMemoryError when the live world alone does not fit', async () => {
    const cells = soupCells(3, 200, 0.5);
    await using engine = createHashLifeEngine(cells, { maxMemoryMb: 0.05 });
    const before = engine.population();
    const error = await engine.step(64).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HashLifeMemoryError);
    expect(error).toMatchObject({ code: 'FANOUT_HASHLIFE_MEMORY', maxMemoryMb: 0.05 });
    expect(engine.generation).toBe(0);
    expect(engine.population()).toBe(before);
  });

  it('rejects a memory limit too small to hold anything', () => {
    expect(() => createHashLifeEngine([], { maxMemoryMb: 0.0001 })).toThrow(/maxMemoryMb/);
    expect(() => createHashLifeEngine([], { maxMemoryMb: Number.NaN })).toThrow(/maxMemoryMb/);
  });
});

describe('hashlife: the event loop and stopping', () => {
  it('gives the event loop turns during one long step, and stops on abort', async () => {
    const cells = soupCells(21, 64, 0.4);
    await using engine = createHashLifeEngine(cells, { sliceMs: 1 });
    const controller = new AbortController();
    const ran = deferred<void>();
    // An immediate can only run if the step yields to the event loop.
    setImmediate(() => {
      ran.resolve();
      controller.abort(new Error('enough'));
    });
    const step = engine.step(2 ** 13, { signal: controller.signal });
    await ran.promise;
    await expect(step).rejects.toThrow('enough');
    expect(engine.generation).toBe(0);
    // The engine is still usable and right after an abort.
    await using reference = createUnboundedEngine(cells);
    await Promise.all([engine.step(300), reference.step(300)]);
    expect(key(engine.liveCells())).toBe(key(reference.liveCells()));
  });

  it('reports progress while it yields and once at the end, never after', async () => {
    await using engine = createHashLifeEngine(soupCells(31, 48, 0.4), { sliceMs: 0.01 });
    const seen: { done: number; total: number; generation: number }[] = [];
    await engine.step(1000, { onProgress: (progress) => seen.push(progress) });
    const settled = seen.length;
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual({ done: 1000, total: 1000, generation: 1000 });
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.done).toBeGreaterThanOrEqual(seen[i - 1]!.done);
      expect(seen[i]!.generation - seen[i]!.done).toBe(0);
    }
    await engine.step(8);
    expect(seen.length).toBe(settled);
  });

  it('an already aborted signal rejects without stepping; close rejects later steps', async () => {
    const engine = createHashLifeEngine(getBuiltinPattern('glider'));
    await expect(engine.step(5, { signal: AbortSignal.abort(new Error('no')) })).rejects.toThrow(
      'no',
    );
    expect(engine.generation).toBe(0);
    await engine.step(4);
    // Like every engine: close waits for the running step; steps queued behind it reject.
    const running = engine.step(4);
    const queued = engine.step(4);
    const closing = engine.close();
    await expect(queued).rejects.toBeInstanceOf(EngineClosedError);
    await closing;
    await running.catch(() => undefined);
    expect([4, 8]).toContain(engine.generation);
    await expect(engine.step()).rejects.toBeInstanceOf(EngineClosedError);
    await engine.close();
  });
});

describe('hashlife: pictures of the world', () => {
  it('occupancy marks exactly the squares that hold a live cell, at every zoom', async () => {
    await using engine = createHashLifeEngine(soupCells(8, 50, 0.05));
    await engine.step(100);
    const cells = engine.liveCells();
    const random = seededRandom(4);
    for (let trial = 0; trial < 30; trial++) {
      const scaleLog2 = Math.floor(random() * 7);
      const scale = 2 ** scaleLog2;
      const x = Math.floor(random() * 120) - 80;
      const y = Math.floor(random() * 120) - 80;
      const width = 1 + Math.floor(random() * 40);
      const height = 1 + Math.floor(random() * 40);
      const expected = new Uint8Array(width * height);
      for (const [cx, cy] of cells) {
        const px = Math.floor((cx - x) / scale);
        const py = Math.floor((cy - y) / scale);
        if (px >= 0 && px < width && py >= 0 && py < height) expected[py * width + px] = 1;
      }
      expect(engine.occupancy(x, y, width, height, scaleLog2)).toEqual(expected);
    }
  });

  it('an empty world has no bounds and an empty snapshot', async () => {
    await using engine = createHashLifeEngine([[0, 0]]);
    await engine.step(1);
    expect(engine.population()).toBe(0);
    expect(engine.bounds()).toBeUndefined();
    expect(engine.snapshot().population).toBe(0);
  });
});

describe('hashlife through createEngine', () => {
  it('is built by kind, takes maxMemoryMb, refuses options of bounded engines', async () => {
    await using engine = await createEngine(getBuiltinPattern('acorn'), {
      kind: 'hashlife',
      maxMemoryMb: 8,
    });
    expect(engine.kind).toBe('hashlife');
    expect(engine.stats().maxBytes).toBe(8 * 2 ** 20);
    await engine.step(5206);
    expect(engine.population()).toBe(633);
    await expect(
      createEngine(getBuiltinPattern('acorn'), { kind: 'hashlife', size: { height: 8, width: 8 } }),
    ).rejects.toThrow(/size does not apply to the hashlife engine/);
    await expect(
      createEngine(getBuiltinPattern('acorn'), { kind: 'bitwise', maxMemoryMb: 8 } as never),
    ).rejects.toThrow(/maxMemoryMb does not apply to the bitwise engine/);
  });
});
