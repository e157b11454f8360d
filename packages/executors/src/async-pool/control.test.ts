import { type Deferred, deferred, flush } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { ExecutorClosedError, TaskClearedError } from '../errors.js';
import { AsyncPool } from './async-pool.js';

/** Submits `count` tasks that each wait for their own gate, recording starts. */
function gatedTasks(pool: AsyncPool, count: number) {
  const gates: Deferred<number>[] = [];
  const started: number[] = [];
  const results = Array.from({ length: count }, (_, i) => {
    const gate = deferred<number>();
    gates.push(gate);
    return pool.submit(() => {
      started.push(i);
      return gate.promise;
    });
  });
  return { gates, started, results };
}

describe('AsyncPool maxConcurrency at run time', () => {
  it('raised: queued tasks start at once, synchronously, up to the new limit', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const { gates, started, results } = gatedTasks(pool, 5);
    expect(started).toEqual([0]);
    pool.maxConcurrency = 3;
    expect(started).toEqual([0, 1, 2]);
    expect(pool.stats).toMatchObject({ running: 3, queued: 2 });
    pool.maxConcurrency = Number.POSITIVE_INFINITY;
    expect(started).toEqual([0, 1, 2, 3, 4]);
    for (const [i, gate] of gates.entries()) gate.resolve(i);
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
  });

  it('lowered: running tasks finish, nothing new starts until fewer than the limit run', async () => {
    const pool = new AsyncPool({ maxConcurrency: 3 });
    const { gates, started, results } = gatedTasks(pool, 6);
    expect(started).toEqual([0, 1, 2]);
    pool.maxConcurrency = 1;
    expect(pool.stats.running).toBe(3);
    gates[0]?.resolve(0);
    await flush();
    expect(started).toEqual([0, 1, 2]); // 2 still running ≥ 1
    gates[1]?.resolve(1);
    await flush();
    expect(started).toEqual([0, 1, 2]); // 1 running, not below 1
    gates[2]?.resolve(2);
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(pool.stats.running).toBe(1);
    for (const [i, gate] of gates.entries()) gate.resolve(i);
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refuses a limit that is not a positive integer and keeps the old one', () => {
    const pool = new AsyncPool({ maxConcurrency: 2 });
    expect(() => {
      pool.maxConcurrency = 0;
    }).toThrow(RangeError);
    expect(() => {
      pool.maxConcurrency = 2.5;
    }).toThrow(/maxConcurrency must be a positive integer, got 2.5/);
    expect(pool.maxConcurrency).toBe(2);
  });
});

describe('AsyncPool pause and resume', () => {
  it('paused with tasks queued: nothing starts, new tasks queue even with free slots', async () => {
    const pool = new AsyncPool({ maxConcurrency: 2 });
    const { gates, started, results } = gatedTasks(pool, 3);
    expect(started).toEqual([0, 1]);
    pool.pause();
    expect(pool.paused).toBe(true);
    gates[0]?.resolve(0);
    await flush();
    expect(started).toEqual([0, 1]); // running tasks go on; the queued one waits
    let later = false;
    const extra = pool.submit(() => {
      later = true;
    });
    gates[1]?.resolve(1);
    await flush();
    expect(later).toBe(false);
    expect(pool.stats).toMatchObject({ running: 0, queued: 2, completed: 2 });
    pool.resume();
    expect(started).toEqual([0, 1, 2]);
    expect(later).toBe(true);
    gates[2]?.resolve(2);
    await Promise.all([...results, extra]);
  });

  it('close() on a paused pool resumes it, so queued tasks run and close resolves', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    pool.pause();
    const queued = pool.submit(() => 'ran');
    const closed = pool.close();
    expect(await queued).toBe('ran');
    await closed;
    expect(pool.paused).toBe(false);
  });
});

describe('AsyncPool clear', () => {
  it('rejects every queued task with TaskClearedError; they never run; running ones go on', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const gate = deferred<string>();
    const running = pool.submit(() => gate.promise);
    let ran = 0;
    const queued = [
      pool.submit(() => ran++),
      pool.run(() => ran++, { name: 'named', priority: 3, id: 'x' }),
      pool.run(() => ran++, { timeout: 1_000, timeoutFrom: 'submit' }),
    ];
    const outcomes = Promise.allSettled(queued);
    expect(pool.clear()).toBe(3);
    const settled = await outcomes;
    for (const outcome of settled) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(TaskClearedError);
    }
    expect(((settled[1] as PromiseRejectedResult).reason as TaskClearedError).taskName).toBe(
      'named',
    );
    expect(pool.stats).toEqual({ queued: 0, running: 1, completed: 0, failed: 3 });
    expect(pool.setPriority('x', 1)).toBe(false);
    expect(pool.clear()).toBe(0);
    gate.resolve('running ran');
    expect(await running).toBe('running ran');
    expect(ran).toBe(0);
    // The pool is still usable.
    expect(await pool.submit(() => 'after')).toBe('after');
  });

  it('close({ cancelPending }) still rejects with ExecutorClosedError, clear with TaskClearedError', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const gate = deferred();
    const running = pool.submit(() => gate.promise);
    const a = pool.submit(() => 1).catch((e: unknown) => e);
    pool.clear();
    const b = pool.submit(() => 2).catch((e: unknown) => e);
    const closed = pool.close({ cancelPending: true });
    expect(await a).toBeInstanceOf(TaskClearedError);
    expect(await b).toBeInstanceOf(ExecutorClosedError);
    gate.resolve();
    await running;
    await closed;
  });
});

describe('AsyncPool onEmpty and onSizeLessThan', () => {
  it('resolve as the queue shrinks, at once when already true', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    await pool.onEmpty();
    await pool.onSizeLessThan(1);
    const { gates, results } = gatedTasks(pool, 4); // 1 running, 3 queued
    const seen: string[] = [];
    void pool.onSizeLessThan(3).then(() => seen.push('<3'));
    void pool.onSizeLessThan(2).then(() => seen.push('<2'));
    void pool.onEmpty().then(() => seen.push('empty'));
    await pool.onSizeLessThan(4);
    await flush();
    expect(seen).toEqual([]);
    gates[0]?.resolve(0);
    await flush();
    expect(seen).toEqual(['<3']);
    gates[1]?.resolve(1);
    await flush();
    expect(seen).toEqual(['<3', '<2']);
    gates[2]?.resolve(2);
    await flush();
    expect(seen).toEqual(['<3', '<2', 'empty']);
    expect(pool.stats.running).toBe(1);
    gates[3]?.resolve(3);
    await Promise.all(results);
    await expect(pool.onSizeLessThan(0)).rejects.toBeInstanceOf(RangeError);
  });

  it('never hang on a pool that is cleared or closed with cancelPending', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const gate = deferred();
    const running = pool.submit(() => gate.promise);
    const queued = [pool.submit(() => 1), pool.submit(() => 2)].map((p) => p.catch(() => 'x'));
    const empty = pool.onEmpty();
    pool.clear();
    await empty;
    const again = pool.submit(() => 3).catch(() => 'x');
    const small = pool.onSizeLessThan(1);
    const closed = pool.close({ cancelPending: true });
    await small;
    gate.resolve();
    await Promise.all([running, ...queued, again, closed]);
  });
});
