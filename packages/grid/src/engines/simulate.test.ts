import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncPool } from '@fanout/executors';
import { describe, expect, it } from 'vitest';
import { type LifeLogic, ruleLogic, stepCell } from './cell-logic.js';
import { delayedLogic } from './delayed-logic.js';
import { Grid, type Topology } from '../grid.js';
import { haloNeighbors, withHalo } from './halo.js';
import { parseRule } from '../rule.js';
import { simulate } from './simulate.js';
import { fillSoup } from '../../test/soup.js';

function soup(height: number, width: number, seed: number, topology: Topology): Grid {
  return fillSoup(new Grid(height, width, { topology }), seed, 1, 2);
}

/** The seed's way, cell by cell through `get`/`set`: the reference for `simulate`. */
function reference(grid: Grid, logic: LifeLogic): Grid {
  const next = new Grid(grid.height, grid.width, { topology: grid.topology });
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) {
      stepCell(
        y,
        x,
        (gy, gx) => grid.get(gy, gx),
        (sy, sx, alive) => next.set(sy, sx, alive),
        logic,
      );
    }
  }
  return next;
}

describe('simulate reads neighbours from a haloed copy', () => {
  it.each(['torus', 'plane'] as const)(
    'counts exactly like countNeighbors on thin and tiny worlds (%s)',
    async (topology) => {
      // 1- and 2-wide worlds are where a torus counts the same cell more than once.
      const sizes: [number, number][] = [
        [1, 1],
        [1, 5],
        [5, 1],
        [2, 2],
        [2, 3],
        [3, 7],
      ];
      for (const text of ['B3/S23', 'B1/S012345678', 'B0/S8']) {
        const logic = ruleLogic(parseRule(text));
        for (const [h, w] of sizes) {
          const grid = soup(h, w, h * 31 + w, topology);
          const next = await simulate(grid, { logic });
          expect(next.equals(reference(grid, logic)), `${text} ${h}x${w}`).toBe(true);
        }
      }
    },
  );

  it('mirrors opposite edges and corners into the halo on a torus, zeros on a plane', () => {
    const cells: [number, number][] = [
      [0, 0],
      [2, 1],
    ];
    const torus = withHalo(Grid.fromCells(2, 3, cells));
    // Row by row, 5 wide: halo row 0 mirrors world row 1, halo row 3 mirrors world row 0.
    expect([...torus]).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
    const plane = withHalo(Grid.fromCells(2, 3, cells, { topology: 'plane' }));
    expect([...plane]).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    // The cell at (1, 1): on the 2-row torus (0, 0) is both above and below it.
    expect(haloNeighbors(torus, 5, 2 * 5 + 2)).toBe(3);
    expect(haloNeighbors(plane, 5, 2 * 5 + 2)).toBe(2);
    // The cell at (0, 2): wraps onto (0, 0) on the torus only, and sees (1, 2) twice.
    expect(haloNeighbors(torus, 5, 1 * 5 + 3)).toBe(3);
    expect(haloNeighbors(plane, 5, 1 * 5 + 3)).toBe(1);
  });
});

describe('simulate answers', () => {
  it('accepts foreign thenables and treats anything but true as dead', async () => {
    const grid = soup(4, 6, 3, 'torus');
    const conway = ruleLogic();
    const foreign: LifeLogic = (alive, n, cell) => ({
      // biome-ignore lint/suspicious/noThenProperty: a PromiseLike that is not a Promise
      then: (resolve) => Promise.resolve(resolve?.(conway(alive, n, cell) as boolean)) as never,
    });
    expect((await simulate(grid, { logic: foreign })).equals(reference(grid, conway))).toBe(true);
    const truthy = (() => 1) as unknown as LifeLogic;
    expect((await simulate(grid, { logic: truthy })).population).toBe(0);
    const asyncTruthy = (async () => 'yes') as unknown as LifeLogic;
    expect((await simulate(grid, { logic: asyncTruthy })).population).toBe(0);
  });

  it('refills a full window as cells settle and still gives the reference result', async () => {
    const grid = soup(12, 13, 5, 'plane');
    const conway = ruleLogic();
    let pending = 0;
    let peak = 0;
    const logic: LifeLogic = async (alive, n, cell) => {
      pending++;
      peak = Math.max(peak, pending);
      // Settle out of order: later cells sometimes finish first.
      for (let i = (cell.x * 7 + cell.y) % 4; i >= 0; i--) await null;
      pending--;
      return conway(alive, n, cell) as boolean;
    };
    const next = await simulate(grid, { logic, maxInFlight: 16 });
    expect(peak).toBe(16);
    expect(next.equals(reference(grid, conway))).toBe(true);
  });

  it('cells queued in an executor behind a failed cell never call the logic', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1 });
    const failure = new Error('first cell failed');
    let calls = 0;
    const logic: LifeLogic = async () => {
      calls++;
      await null;
      throw failure;
    };
    await expect(simulate(soup(3, 3, 1, 'torus'), { executor: pool, logic })).rejects.toBe(failure);
    await pool.onIdle();
    // The pool starts the next queued cell as the failed one settles, a tick before
    // simulate sees the failure; the 7 cells after that skip the logic.
    expect(calls).toBeLessThanOrEqual(2);
  });
});

describe('the per-cell I/O recipe (pass the cell signal into the I/O)', () => {
  it('prints no MaxListenersExceededWarning for a world of many cells', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const grid = soup(12, 12, 3, 'torus');
      const expected = reference(grid, ruleLogic());
      const rule = ruleLogic();
      // As the README's recipe: the I/O takes the cell's signal (here a timer that listens).
      // Node 20 warns past ten listeners on a signal; Node 22 and later never warn for
      // AbortSignals, so this can only fail on Node 20 (the version CI's verify runs on).
      const logic: LifeLogic = async (alive, neighbors, cell) => {
        await sleep(1, undefined, { signal: cell.signal });
        return rule(alive, neighbors, cell);
      };
      for (const executor of [undefined, new AsyncPool({ maxConcurrency: 50 })]) {
        const next = await simulate(grid, { logic, ...(executor ? { executor } : {}) });
        expect(next.equals(expected)).toBe(true);
        await executor?.close();
      }
      // Node emits the warning on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('delayedLogic ends its wait when the step is abandoned', async () => {
    const grid = soup(12, 12, 5, 'plane');
    const controller = new AbortController();
    const started = performance.now();
    const running = simulate(grid, { logic: delayedLogic(60_000), signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop waiting')), 5);
    await expect(running).rejects.toThrow('stop waiting');
    // Bounded, not timed: far below the 60 s the logic would wait.
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
