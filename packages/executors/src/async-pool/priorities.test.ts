import { deferred, flush } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { AsyncPool } from './async-pool.js';

/** A pool of one slot held by a gate, so everything submitted after it queues. */
function blockedPool(): { pool: AsyncPool; open: () => Promise<void> } {
  const pool = new AsyncPool({ maxConcurrency: 1 });
  const gate = deferred();
  const first = pool.submit(() => gate.promise);
  return {
    pool,
    open: async () => {
      gate.resolve();
      await first;
    },
  };
}

describe('AsyncPool priorities', () => {
  it('starts higher priorities first and equal priorities in submission order', async () => {
    const { pool, open } = blockedPool();
    const started: string[] = [];
    const task = (label: string) => () => {
      started.push(label);
    };
    const all = [
      pool.run(task('p0-a')),
      pool.run(task('p5-a'), { priority: 5 }),
      pool.run(task('p-1-a'), { priority: -1 }),
      pool.run(task('p0-b'), { priority: 0 }),
      pool.run(task('p5-b'), { priority: 5 }),
      pool.run(task('p9'), { priority: 9 }),
      pool.run(task('pInf'), { priority: Number.POSITIVE_INFINITY }),
      pool.submit(task('submit-0')),
      pool.run(task('p-1-b'), { priority: -1 }),
      pool.run(task('p0.5'), { priority: 0.5 }),
    ];
    expect(pool.stats.queued).toBe(10);
    await open();
    await Promise.all(all);
    expect(started).toEqual([
      'pInf',
      'p9',
      'p5-a',
      'p5-b',
      'p0.5',
      'p0-a',
      'p0-b',
      'submit-0',
      'p-1-a',
      'p-1-b',
    ]);
  });

  it('re-prioritises a queued task by id; it keeps its submission order among equals', async () => {
    const { pool, open } = blockedPool();
    const started: string[] = [];
    const task = (label: string) => () => {
      started.push(label);
    };
    const all = [
      pool.run(task('a'), { priority: 1 }),
      pool.run(task('late'), { id: 'late' }),
      pool.run(task('b'), { priority: 1 }),
      pool.run(task('c'), { priority: 2 }),
      pool.run(task('down'), { priority: 3, id: 'down' }),
    ];
    // Raised to 1: submitted before `b`, so it starts before `b`, after `a`.
    expect(pool.setPriority('late', 1)).toBe(true);
    // Lowered below everything.
    expect(pool.setPriority('down', -5)).toBe(true);
    expect(pool.setPriority('nobody', 4)).toBe(false);
    await open();
    await Promise.all(all);
    expect(started).toEqual(['c', 'a', 'late', 'b', 'down']);
  });

  it('changes every queued task sharing an id, none once they started, and refuses NaN', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const gate = deferred();
    const started: string[] = [];
    const running = pool.run(() => gate.promise, { id: 'batch' });
    const all = [
      pool.run(() => started.push('x')),
      pool.run(() => started.push('batch-1'), { id: 'batch' }),
      pool.run(() => started.push('batch-2'), { id: 'batch' }),
    ];
    expect(() => pool.setPriority('batch', Number.NaN)).toThrow(TypeError);
    expect(pool.setPriority('batch', 10)).toBe(true);
    gate.resolve();
    await running;
    await Promise.all(all);
    expect(started).toEqual(['batch-1', 'batch-2', 'x']);
    expect(pool.setPriority('batch', 1)).toBe(false);
  });

  it('moves a task back and forth between the default and other priorities', async () => {
    const { pool, open } = blockedPool();
    const started: string[] = [];
    const all = ['a', 'b', 'c', 'd'].map((label) =>
      pool.run(() => started.push(label), { id: label }),
    );
    pool.setPriority('c', 3);
    pool.setPriority('c', 0); // back to default: its submission place again, before d
    pool.setPriority('a', -1);
    pool.setPriority('d', 2);
    await open();
    await Promise.all(all);
    expect(started).toEqual(['d', 'b', 'c', 'a']);
  });

  it('rejects a task whose priority is not a number, without queueing it', async () => {
    const { pool, open } = blockedPool();
    await expect(pool.run(() => 1, { priority: Number.NaN })).rejects.toBeInstanceOf(TypeError);
    await expect(pool.run(() => 1, { priority: '1' as unknown as number })).rejects.toThrow(
      /priority must be a number/,
    );
    expect(pool.stats.queued).toBe(0);
    await open();
  });

  it('a removed task does not disturb the order of the others', async () => {
    const { pool, open } = blockedPool();
    const started: number[] = [];
    const controllers = Array.from({ length: 8 }, () => new AbortController());
    const all = controllers.map((controller, i) =>
      pool
        .run(() => started.push(i), { priority: i % 3, signal: controller.signal })
        .catch(() => 'aborted'),
    );
    controllers[2]?.abort();
    controllers[3]?.abort();
    await flush();
    await open();
    await Promise.all(all);
    // Priorities: 0,1,2,0,1,2,0,1 → without 2 and 3: 5 | 1,4,7 | 0,6
    expect(started).toEqual([5, 1, 4, 7, 0, 6]);
  });
});
