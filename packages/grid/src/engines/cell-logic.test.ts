import { AsyncPool, InlineExecutor } from '@fanout/executors';
import { describe, expect, it } from 'vitest';
import { createBitwiseEngine } from './bitwise-engine.js';
import { countNeighbors, type LifeLogic, ruleLogic, stepCell } from './cell-logic.js';
import { Grid } from '../grid.js';
import { parseRule } from '../rule.js';
import { simulate } from './simulate.js';

function soup(height: number, width: number, seed: number): Grid {
  const grid = new Grid(height, width);
  let s = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
      if (s % 3 === 0) grid.set(y, x, true);
    }
  }
  return grid;
}

/** Logic that waits until released, counting how many cells wait at once. */
function gate(): { logic: LifeLogic; peak: () => number; release: () => void } {
  let waiting = 0;
  let peak = 0;
  let releaseAll: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    releaseAll = resolve;
  });
  const conway = ruleLogic();
  return {
    logic: async (alive, n, cell) => {
      waiting++;
      peak = Math.max(peak, waiting);
      await Promise.race([released, Promise.resolve().then(() => undefined)]);
      await Promise.resolve();
      waiting--;
      return conway(alive, n, cell) as boolean;
    },
    peak: () => peak,
    release: releaseAll,
  };
}

describe('countNeighbors and stepCell', () => {
  it('counts the 8 neighbours through get (wrapping on a torus)', () => {
    const grid = Grid.fromCells(3, 4, [
      [0, 0],
      [3, 2],
      [1, 1],
    ]);
    const get = (y: number, x: number): boolean => grid.get(y, x);
    expect(countNeighbors(1, 1, get)).toBe(1);
    expect(countNeighbors(0, 0, get)).toBe(2);
    expect(countNeighbors(2, 3, get)).toBe(1);
  });

  it('steps synchronously with sync logic and returns a promise with async logic', async () => {
    const grid = Grid.fromCells(1, 3, [
      [0, 0],
      [2, 0],
    ]);
    const next = new Grid(1, 3);
    const get = (y: number, x: number): boolean => grid.get(y, x);
    const set = (y: number, x: number, alive: boolean): void => next.set(y, x, alive);
    expect(stepCell(0, 1, get, set, () => true)).toBeUndefined();
    expect(next.get(0, 1)).toBe(true);
    const pending = stepCell(0, 0, get, set, async (alive) => alive);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(next.get(0, 0)).toBe(true);
  });
});

describe('simulate', () => {
  it('returns the next grid and leaves the input alone', async () => {
    const blinker = Grid.fromString('-----\n--*--\n--*--\n--*--\n-----');
    const next = await simulate(blinker);
    expect(next.toString()).toBe('-----\n-----\n-***-\n-----\n-----');
    expect(blinker.toString()).toBe('-----\n--*--\n--*--\n--*--\n-----');
  });

  it('applies any rule and any logic, sync or async', async () => {
    const grid = soup(12, 13, 7);
    const highLife = parseRule('B36/S23');
    const expected = createBitwiseEngine(grid, { rule: highLife });
    expected.stepSync();
    expect((await simulate(grid, { rule: highLife })).equals(expected.snapshot())).toBe(true);
    const logic = ruleLogic(highLife);
    const async: LifeLogic = async (alive, n, cell) => logic(alive, n, cell);
    expect((await simulate(grid, { logic: async })).equals(expected.snapshot())).toBe(true);
  });

  it.each([
    ['unbounded gather', () => undefined],
    ['InlineExecutor', () => new InlineExecutor()],
    ['AsyncPool(4)', () => new AsyncPool({ maxConcurrency: 4 })],
  ])('an error thrown by an async rule reaches the caller (%s)', async (_, make) => {
    const executor = make();
    const failure = new Error('Problem with I/O');
    const aborted: number[] = [];
    const logic: LifeLogic = async (_alive, _n, cell) => {
      if (cell.y === 2 && cell.x === 3) throw failure;
      cell.signal.addEventListener('abort', () => aborted.push(cell.y));
      await new Promise((resolve) => setTimeout(resolve, 1));
      return false;
    };
    await expect(simulate(soup(5, 9, 1), { executor, logic })).rejects.toBe(failure);
    await executor?.close();
    expect(aborted.length).toBeGreaterThan(0);
  });

  it('a synchronous throw rejects too', async () => {
    const failure = new RangeError('bad cell');
    await expect(
      simulate(soup(3, 3, 1), {
        logic: () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
  });

  it('abort rejects with the reason, before and during a generation', async () => {
    const before = new AbortController();
    before.abort(new Error('not now'));
    await expect(simulate(soup(3, 3, 1), { signal: before.signal })).rejects.toThrow('not now');

    const during = new AbortController();
    let started = 0;
    const logic: LifeLogic = (_alive, _n, cell) =>
      new Promise<boolean>((_resolve, reject) => {
        started++;
        if (started === 9) during.abort(new Error('stop'));
        cell.signal.addEventListener('abort', () => reject(cell.signal.reason));
      });
    await expect(simulate(soup(3, 3, 1), { logic, signal: during.signal })).rejects.toThrow('stop');
  });

  it('feeds cells through a bounded window (maxInFlight)', async () => {
    const { logic, peak } = gate();
    const grid = soup(20, 20, 3);
    const next = await simulate(grid, { logic, maxInFlight: 7 });
    expect(peak()).toBe(7);
    expect(next.equals(await simulate(grid))).toBe(true);
    await expect(simulate(grid, { maxInFlight: 0 })).rejects.toThrow(RangeError);
  });

  it('waits for room in an AsyncPool with a bounded queue instead of overflowing it', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 3, maxQueue: 2 });
    const { logic, peak } = gate();
    const grid = soup(6, 7, 5);
    const next = await simulate(grid, { executor: pool, logic });
    expect(peak()).toBeLessThanOrEqual(3);
    expect(next.equals(await simulate(grid))).toBe(true);
  });

  it('steps a 1000x1000 world with async logic without a million pending cells', async () => {
    let pending = 0;
    let peak = 0;
    const conway = ruleLogic();
    const logic: LifeLogic = async (alive, n, cell) => {
      pending++;
      peak = Math.max(peak, pending);
      await null;
      pending--;
      return conway(alive, n, cell) as boolean;
    };
    const grid = new Grid(1000, 1000);
    for (let x = 0; x < 1000; x += 10) {
      grid.set(500, x, true);
      grid.set(500, x + 1, true);
      grid.set(500, x + 2, true);
    }
    const next = await simulate(grid, { logic, maxInFlight: 10_000 });
    expect(peak).toBeLessThanOrEqual(10_000);
    expect(next.population).toBe(300);
    expect(next.get(499, 1)).toBe(true);
  });
});
