import { deferred, flush } from '@fanout/test-kit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../errors.js';
import { AsyncPool } from './async-pool.js';

// Only the clocks the pool uses are faked: `flush` still gets real immediates.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('AsyncPool timeouts', () => {
  it('a running task past its timeout: rejects with TimeoutError, its signal aborts, it keeps its slot', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const gate = deferred();
    let seen: AbortSignal | undefined;
    const slow = pool.run(
      ({ signal }) => {
        seen = signal;
        return gate.promise;
      },
      { name: 'slow', timeout: 100 },
    );
    const caught = slow.catch((e: unknown) => e);
    let nextStarted = false;
    const next = pool.submit(() => {
      nextStarted = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await caught;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({
      code: 'FANOUT_TIMEOUT',
      taskName: 'slow',
      timeoutMs: 100,
      from: 'start',
      queued: false,
    });
    expect((error as Error).message).toBe(
      'task "slow" timed out after 100 ms (counted from start)',
    );
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
    // The function has not settled: its slot is still taken.
    expect(pool.stats).toMatchObject({ running: 1, queued: 1, failed: 1 });
    expect(nextStarted).toBe(false);
    gate.resolve();
    await next;
    expect(nextStarted).toBe(true);
    expect(pool.stats).toEqual({ queued: 0, running: 0, completed: 1, failed: 1 });
    await pool.close();
  });

  it('counted from start, time spent queued does not count', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1, timeout: 100 });
    const gate = deferred();
    const first = pool.submit(() => gate.promise);
    const queued = pool.run(() => 'fast enough');
    await vi.advanceTimersByTimeAsync(50);
    gate.resolve();
    await first;
    await vi.advanceTimersByTimeAsync(500);
    expect(await queued).toBe('fast enough');
  });

  it('a running task that ignores its signal keeps its slot until it settles, then frees it', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1, timeout: 10 });
    const gate = deferred<string>();
    const stubborn = pool.submit(() => gate.promise);
    const caught = stubborn.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(await caught).toBeInstanceOf(TimeoutError);
    let idle = false;
    void pool.onIdle().then(() => {
      idle = true;
    });
    await flush();
    expect(idle).toBe(false);
    gate.resolve('too late');
    await flush();
    expect(idle).toBe(true);
  });

  it('counted from submit: a task still queued at its deadline is removed and never runs', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const gate = deferred();
    const first = pool.submit(() => gate.promise);
    let ran = false;
    const queued = pool.run(
      () => {
        ran = true;
      },
      { name: 'report', timeout: 30, timeoutFrom: 'submit' },
    );
    const caught = queued.catch((e: unknown) => e);
    const after = pool.run(() => 'after');
    await vi.advanceTimersByTimeAsync(30);
    const error = await caught;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ from: 'submit', queued: true, taskName: 'report' });
    expect((error as Error).message).toContain('still queued');
    expect(pool.stats.queued).toBe(1);
    gate.resolve();
    await first;
    expect(await after).toBe('after');
    expect(ran).toBe(false);
  });

  it('counted from submit: queue wait and running time add up to the limit', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1, timeout: 100, timeoutFrom: 'submit' });
    const gate = deferred();
    const first = pool.run(() => gate.promise, { timeout: Number.POSITIVE_INFINITY });
    let signal: AbortSignal | undefined;
    const second = pool.run((context) => {
      signal = context.signal;
      return new Promise(() => {});
    });
    const caught = second.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60);
    gate.resolve();
    await first;
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(40);
    expect(await caught).toMatchObject({ from: 'submit', queued: false });
    expect(signal?.aborted).toBe(true);
  });

  it('the pool default applies to submit tasks, a task can override it or opt out', async () => {
    const pool = new AsyncPool({ maxConcurrency: 3, timeout: 50 });
    const never = () => new Promise<never>(() => {});
    const byPool = pool.submit(never).catch((e: unknown) => e);
    const longer = pool.run(never, { timeout: 200 }).catch((e: unknown) => e);
    let optedOut = 'pending';
    const gate = deferred<string>();
    void pool
      .run(() => gate.promise, { timeout: Number.POSITIVE_INFINITY })
      .then((v) => {
        optedOut = v;
      });
    await vi.advanceTimersByTimeAsync(50);
    expect(await byPool).toMatchObject({ timeoutMs: 50, taskName: 'never' });
    await vi.advanceTimersByTimeAsync(150);
    expect(await longer).toMatchObject({ timeoutMs: 200 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(optedOut).toBe('pending');
    gate.resolve('done');
    await flush();
    expect(optedOut).toBe('done');
  });

  it('a task that settles in time leaves no timer behind', async () => {
    const pool = new AsyncPool({ maxConcurrency: 2, timeout: 1_000 });
    await pool.submit(async () => 1);
    await pool.run(() => 2, { timeoutFrom: 'submit' });
    const gate = deferred();
    const first = pool.submit(() => gate.promise);
    const second = pool.submit(() => gate.promise);
    const queued = pool.run(() => 3, { timeoutFrom: 'submit' });
    gate.resolve();
    await Promise.all([first, second, queued]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects bad limits with RangeError naming the option', async () => {
    expect(() => new AsyncPool({ maxConcurrency: 1, timeout: 0 })).toThrow(/timeout must be/);
    expect(() => new AsyncPool({ maxConcurrency: 1, timeout: 2 ** 31 })).toThrow(RangeError);
    expect(() => new AsyncPool({ maxConcurrency: 1, timeoutFrom: 'queue' as 'start' })).toThrow(
      /timeoutFrom/,
    );
    const pool = new AsyncPool({ maxConcurrency: 1 });
    await expect(pool.run(() => 1, { timeout: -5 })).rejects.toBeInstanceOf(RangeError);
    await expect(pool.run(() => 1, { timeout: Number.NaN })).rejects.toBeInstanceOf(RangeError);
    expect(pool.stats).toEqual({ queued: 0, running: 0, completed: 0, failed: 0 });
  });
});
