import { describe, expect, it } from 'vitest';
import { createBitwiseEngine } from '../bitwise-engine.js';
import { bufferWords, stepRows } from '../bitwise-kernel.js';
import { Grid, type Topology } from '../../grid.js';
import { packInto, shapeOf, unpack } from '../packed-world.js';
import { parseRule } from '../../rule.js';
import {
  ALL_DONE,
  type BandLayout,
  bandLayout,
  claimBand,
  completeBand,
  freezeLevel,
  NONE_READY,
} from './band-schedule.js';
import { bandStart, bandsFor, Ctrl, controlLength } from './protocol.js';
import { fillSoup } from '../../../test/soup.js';

function soup(height: number, width: number, seed: number, topology: Topology): Grid {
  return fillSoup(new Grid(height, width, { topology }), seed);
}

interface VirtualThread {
  readonly layout: BandLayout;
  band: number;
  /** Steps left before the claimed band completes. */
  busyFor: number;
  /** Whether the kernel already ran (at claim) or runs at completion. */
  ranEarly: boolean;
}

/**
 * Runs the band scheduler with `threads` virtual threads on one real thread, interleaved in
 * a seeded random order: a claimed band stays busy for a random number of turns, and its
 * rows are computed either when it is claimed or when it completes. If a band ever stepped
 * before its neighbours were ready (or overwrote rows they still needed), the result would
 * differ from the bitwise engine.
 */
function runScheduled(
  grid: Grid,
  ruleText: string,
  threads: number,
  generations: number,
  seed: number,
  freezeAfterTurns = Number.POSITIVE_INFINITY,
): { grid: Grid; executed: number; maxSpread: number; frozenAbove: number } {
  const shape = shapeOf(grid, parseRule(ruleText));
  const buffers = [
    new Uint32Array(bufferWords(grid.height, grid.width)),
    new Uint32Array(bufferWords(grid.height, grid.width)),
  ] as const;
  packInto(grid, shape, buffers[0]);
  const bands = bandsFor(grid.height, threads);
  const ctrl = new Int32Array(controlLength(bands));
  const pool: VirtualThread[] = Array.from({ length: threads }, (_, index) => ({
    layout: bandLayout(bands, shape.torus, index, threads),
    band: -1,
    busyFor: 0,
    ranEarly: false,
  }));
  const run = (band: number): void => {
    const generation = Atomics.load(ctrl, Ctrl.bands + band) >> 1;
    const src = generation & 1;
    const rows = [bandStart(grid.height, bands, band), bandStart(grid.height, bands, band + 1)];
    stepRows(buffers[src as 0 | 1], buffers[(src ^ 1) as 0 | 1], shape, rows[0]!, rows[1]!);
  };
  let s = seed;
  const random = (n: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return (s >>> 8) % n;
  };
  let maxSpread = 0;
  let frozenAbove = -1;
  let done = 0;
  for (let turn = 0; done < threads; turn++) {
    if (turn === freezeAfterTurns) {
      frozenAbove = 0;
      for (let b = 0; b < bands; b++) {
        frozenAbove = Math.max(frozenAbove, Atomics.load(ctrl, Ctrl.bands + b) >> 1);
      }
      freezeLevel(ctrl);
    }
    const thread = pool[random(threads)]!;
    if (thread.band >= 0) {
      if (--thread.busyFor > 0) continue;
      if (!thread.ranEarly) run(thread.band);
      completeBand(ctrl, thread.band);
      thread.band = -1;
      const counts = Array.from({ length: bands }, (_, b) => ctrl[Ctrl.bands + b]! >> 1);
      maxSpread = Math.max(maxSpread, Math.max(...counts) - Math.min(...counts));
      continue;
    }
    const band = claimBand(ctrl, thread.layout, generations);
    if (band === ALL_DONE) {
      done++;
      thread.band = -2;
    } else if (band !== NONE_READY) {
      thread.band = band;
      thread.busyFor = 1 + random(6);
      thread.ranEarly = random(2) === 0;
      if (thread.ranEarly) run(band);
    }
    if (done > 0 && band !== ALL_DONE) {
      // A thread that saw ALL_DONE stays out; the others must see it too.
      expect(band).not.toBeGreaterThanOrEqual(0);
    }
  }
  const counts = Array.from({ length: bands }, (_, b) => ctrl[Ctrl.bands + b]! >> 1);
  const executed = counts[0]!;
  expect(counts.every((count) => count === executed)).toBe(true);
  return {
    grid: unpack(buffers[(executed & 1) as 0 | 1], shape),
    executed,
    maxSpread,
    frozenAbove,
  };
}

describe('band scheduler', () => {
  it.each([
    [64, 70, 'B3/S23', 2, 'torus'],
    [64, 70, 'B3/S23', 2, 'plane'],
    [37, 45, 'B36/S23', 3, 'torus'],
    [9, 33, 'B2/S', 4, 'plane'],
    [2, 40, 'B3/S23', 3, 'torus'],
    [1, 31, 'B1/S1', 2, 'torus'],
  ] as const)(
    '%ix%i %s, %i threads, %s: bands step out of lockstep and still give the bitwise result',
    (height, width, rule, threads, topology) => {
      const grid = soup(height, width, height * width + threads, topology);
      const generations = 9;
      const result = runScheduled(grid, rule, threads, generations, 7 * height + threads);
      const expected = createBitwiseEngine(grid, { rule: parseRule(rule) });
      expected.stepSync(generations);
      expect(result.executed).toBe(generations);
      expect(result.grid.equals(expected.snapshot())).toBe(true);
    },
  );

  it('lets bands drift apart by more than one generation (no barrier)', () => {
    const grid = soup(128, 64, 3, 'plane');
    const { maxSpread } = runScheduled(grid, 'B3/S23', 2, 30, 11);
    expect(maxSpread).toBeGreaterThan(1);
  });

  it('freezing the level ends every band at the highest generation any band had reached', () => {
    const grid = soup(96, 64, 5, 'torus');
    const result = runScheduled(grid, 'B3/S23', 2, 1000, 3, 200);
    expect(result.executed).toBeGreaterThanOrEqual(result.frozenAbove);
    expect(result.executed).toBeLessThan(1000);
    const expected = createBitwiseEngine(grid);
    expected.stepSync(result.executed);
    expect(result.grid.equals(expected.snapshot())).toBe(true);
  });

  it('a command frozen before any band starts executes nothing', () => {
    const ctrl = new Int32Array(controlLength(4));
    freezeLevel(ctrl);
    expect(claimBand(ctrl, bandLayout(4, true, 0, 2), 10)).toBe(ALL_DONE);
  });
});
