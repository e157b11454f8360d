import { deferred, seededRandom } from '@fanout/test-kit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AsyncPool } from './async-pool.js';
import { StartWindow } from './start-window.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Submits `count` instant tasks and records the fake time at which each one starts. */
function timedStarts(pool: AsyncPool, count: number): { starts: number[]; all: Promise<unknown> } {
  const starts: number[] = [];
  const origin = performance.now();
  const all = Promise.all(
    Array.from({ length: count }, () =>
      pool.submit(() => {
        starts.push(performance.now() - origin);
      }),
    ),
  );
  return { starts, all };
}

describe('AsyncPool rate limit', () => {
  it('starts at most intervalCap tasks per interval; the rest start as earlier starts expire', async () => {
    const pool = new AsyncPool({ maxConcurrency: 10, intervalCap: 2, interval: 1_000 });
    const { starts, all } = timedStarts(pool, 5);
    expect(starts).toEqual([0, 0]);
    expect(pool.stats.queued).toBe(3);
    await vi.advanceTimersByTimeAsync(999);
    expect(starts).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(starts).toEqual([0, 0, 1_000, 1_000]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(starts).toEqual([0, 0, 1_000, 1_000, 2_000]);
    await all;
  });

  it('is a sliding window: a start counts for exactly `interval` ms, nothing resets at a boundary', async () => {
    const pool = new AsyncPool({ maxConcurrency: 10, intervalCap: 2, interval: 1_000 });
    const origin = performance.now();
    const starts: number[] = [];
    const task = () => {
      starts.push(performance.now() - origin);
    };
    await pool.submit(task); // t=0
    await vi.advanceTimersByTimeAsync(600);
    await pool.submit(task); // t=600
    const rest = [pool.submit(task), pool.submit(task), pool.submit(task)];
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all(rest);
    // A fixed window would have let two start at 1000: here the 600 start still counts.
    expect(starts).toEqual([0, 600, 1_000, 1_600, 2_000]);
  });

  it('counts starts, not running tasks: a long task does not hold the window', async () => {
    const pool = new AsyncPool({ maxConcurrency: 10, intervalCap: 1, interval: 100 });
    const gate = deferred();
    const long = pool.submit(() => gate.promise);
    const { starts, all } = timedStarts(pool, 2);
    expect(starts).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(starts).toEqual([100]);
    await vi.advanceTimersByTimeAsync(100);
    expect(starts).toEqual([100, 200]);
    gate.resolve();
    await Promise.all([long, all]);
  });

  it('applies on top of maxConcurrency and priorities', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1, intervalCap: 3, interval: 100 });
    const gates = [deferred(), deferred(), deferred()];
    const started: string[] = [];
    const first = pool.run(() => {
      started.push('first');
      return gates[0]?.promise;
    });
    const low = pool.run(() => started.push('low'), { priority: -1 });
    const high = pool.run(() => started.push('high'), { priority: 1 });
    expect(started).toEqual(['first']); // concurrency 1 holds them, not the rate
    gates[0]?.resolve();
    await first;
    expect(started).toEqual(['first', 'high', 'low']);
    await Promise.all([low, high]);
    // Three starts in this window: the fourth waits for the window even with a free slot.
    let fourth = false;
    const late = pool.submit(() => {
      fourth = true;
    });
    expect(fourth).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(fourth).toBe(true);
    await late;
  });

  it('never exceeds the cap in any window over a long random run (seeded)', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = seededRandom(seed);
      const cap = 1 + Math.floor(random() * 5);
      const interval = 10 + Math.floor(random() * 90);
      const pool = new AsyncPool({ maxConcurrency: 4, intervalCap: cap, interval });
      const starts: number[] = [];
      const origin = performance.now();
      const all: Promise<unknown>[] = [];
      for (let step = 0; step < 200; step++) {
        const burst = Math.floor(random() * 4);
        for (let i = 0; i < burst; i++) {
          const duration = Math.floor(random() * interval * 2);
          all.push(
            pool.submit(async () => {
              starts.push(performance.now() - origin);
              await new Promise((resolve) => setTimeout(resolve, duration));
            }),
          );
        }
        await vi.advanceTimersByTimeAsync(Math.floor(random() * interval));
      }
      await vi.runAllTimersAsync();
      await Promise.all(all);
      expect(starts.length).toBe(all.length);
      // Any `cap + 1` consecutive starts span at least one interval.
      for (let i = cap; i < starts.length; i++) {
        expect((starts[i] as number) - (starts[i - cap] as number)).toBeGreaterThanOrEqual(
          interval,
        );
      }
    }
  });

  it('counts a start from when its call returned: a long synchronous start delays the next', async () => {
    const pool = new AsyncPool({ maxConcurrency: 10, intervalCap: 1, interval: 100 });
    const origin = performance.now();
    const starts: number[] = [];
    const first = pool.submit(() => {
      starts.push(performance.now() - origin);
      vi.advanceTimersByTime(30); // 30 ms of synchronous work inside the call
    });
    const second = pool.submit(() => {
      starts.push(performance.now() - origin);
    });
    await first;
    await vi.advanceTimersByTimeAsync(99);
    expect(starts).toEqual([0]); // 100 ms after the call began, but not after it returned
    await vi.advanceTimersByTimeAsync(31);
    expect(starts).toEqual([0, 130]);
    await second;
  });

  it('a task that submits from its synchronous start cannot exceed the cap', async () => {
    const pool = new AsyncPool({ maxConcurrency: 10, intervalCap: 1, interval: 100 });
    let inner: Promise<unknown> | undefined;
    let innerRan = false;
    await pool.submit(() => {
      inner = pool.submit(() => {
        innerRan = true;
      });
    });
    expect(innerRan).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(innerRan).toBe(true);
    await inner;
  });

  it('validates intervalCap and interval together', () => {
    expect(() => new AsyncPool({ maxConcurrency: 1, intervalCap: 2 })).toThrow(/go together/);
    expect(() => new AsyncPool({ maxConcurrency: 1, interval: 100 })).toThrow(/go together/);
    expect(() => new AsyncPool({ maxConcurrency: 1, intervalCap: 0, interval: 100 })).toThrow(
      /intervalCap must be a positive integer/,
    );
    expect(() => new AsyncPool({ maxConcurrency: 1, intervalCap: 1, interval: 0 })).toThrow(
      /interval must be/,
    );
  });
});

describe('StartWindow', () => {
  it('allows cap starts per window, counts reserved ones, and says how long to wait', () => {
    const window = new StartWindow(2, 100);
    const take = (now: number): boolean => {
      if (!window.tryReserve(now)) return false;
      window.commit(now);
      return true;
    };
    expect(take(0)).toBe(true);
    expect(take(40)).toBe(true);
    expect(take(50)).toBe(false);
    expect(window.waitMs(50)).toBe(50);
    expect(take(100)).toBe(true); // the start at 0 expired
    expect(window.count(100)).toBe(2);
    expect(window.waitMs(100)).toBe(40);
    expect(window.count(1_000)).toBe(0);
    expect(window.waitMs(1_000)).toBe(0);
    // A reserved start counts before its stamp.
    expect(window.tryReserve(1_000)).toBe(true);
    expect(window.tryReserve(1_000)).toBe(true);
    expect(window.tryReserve(1_000)).toBe(false);
    expect(window.waitMs(1_000)).toBe(100);
    window.commit(1_010);
    window.commit(1_020);
    expect(window.waitMs(1_050)).toBe(60);
  });
});
