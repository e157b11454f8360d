import { seededRandom } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import type { XY } from '../../grid.js';
import { parseRule } from '../../rule.js';
import { createUnboundedEngine } from '../unbounded-engine.js';
import { HashLifeMemoryError } from '../../errors.js';
import { createHashLifeEngine } from './hashlife-engine.js';

// Model-based: random step sizes, aborts at random points inside a step, and a node cache so
// small that collections run in the middle of steps. After every call, finished or aborted,
// the world must be exactly the reference engine's at the generation HashLife reports.

const key = (cells: readonly XY[]): string => cells.map(([x, y]) => `${x},${y}`).join(' ');

/** Resolves after `turns` turns of the event loop (each one a yield of the engine). */
async function afterTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('hashlife under aborts and memory pressure', () => {
  it('stays exact across 24 seeds of random steps, aborts and collections', async () => {
    let aborted = 0;
    let collections = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const random = seededRandom(seed * 104729);
      const rule = parseRule(seed % 3 === 0 ? 'B36/S23' : 'B3/S23');
      const cells: XY[] = [];
      for (let y = 0; y < 20; y++)
        for (let x = 0; x < 20; x++) if (random() < 0.4) cells.push([x, y]);
      // ~9,000 nodes: far fewer than these runs make, so collections happen mid-step.
      await using engine = createHashLifeEngine(cells, { rule, maxMemoryMb: 0.4, sliceMs: 0.01 });
      await using reference = createUnboundedEngine(cells, { rule });
      for (let call = 0; call < 6; call++) {
        const n = random() < 0.5 ? 2 ** Math.floor(random() * 9) : 1 + Math.floor(random() * 300);
        const controller = new AbortController();
        const abortAfter = random() < 0.5 ? Math.floor(random() * 6) : -1;
        const stepping = engine.step(n, { signal: controller.signal });
        if (abortAfter >= 0) {
          void afterTurns(abortAfter).then(() => controller.abort(new Error('stop here')));
        }
        const outcome = await stepping.then(
          () => 'done',
          (error: unknown) => error,
        );
        if (outcome !== 'done') {
          if (outcome instanceof HashLifeMemoryError) throw outcome;
          expect((outcome as Error).message).toBe('stop here');
          aborted++;
        }
        const behind = engine.generation - reference.generation;
        expect(behind).toBeGreaterThanOrEqual(0);
        expect(behind).toBeLessThanOrEqual(n);
        if (outcome === 'done') expect(behind).toBe(n);
        await reference.step(behind);
        if (key(engine.liveCells()) !== key(reference.liveCells())) {
          throw new Error(`seed ${seed}, call ${call}: differs at generation ${engine.generation}`);
        }
        expect(engine.stats().bytes).toBeLessThanOrEqual(0.4 * 2 ** 20);
      }
      collections += engine.stats().collections;
    }
    // The run exercised what it claims to.
    expect(aborted).toBeGreaterThan(5);
    expect(collections).toBeGreaterThan(10);
  });
});
