import { deferred, flush } from '@fanout/test-kit';
import { describe, expect, it, vi } from 'vitest';
import { TaskClearedError, TimeoutError } from '../errors.js';
import { AsyncPool } from './async-pool.js';
import { AsyncPoolEvent, type AsyncPoolEventMap } from './pool-events.js';

const TYPES: (keyof AsyncPoolEventMap)[] = ['active', 'empty', 'completed', 'error', 'idle'];

/** Records every pool event as `type` or `type:task` or `type:task=detail`. */
function record(pool: AsyncPool): string[] {
  const log: string[] = [];
  for (const type of TYPES) {
    pool.addEventListener(type, (event) => {
      expect(event).toBeInstanceOf(AsyncPoolEvent);
      const name = event.task?.name;
      const detail =
        event.detail instanceof Error ? event.detail.name : (event.detail as string | undefined);
      log.push(
        [type, name && `:${name}`, detail !== undefined && `=${detail}`].filter(Boolean).join(''),
      );
    });
  }
  return log;
}

describe('AsyncPool events', () => {
  it('fires every event in order over a queue that fills, drains and goes idle', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const log = record(pool);
    const a = deferred<string>();
    const b = deferred<string>();
    const first = pool.run(() => a.promise, { name: 'a' });
    const second = pool.run(() => b.promise, { name: 'b' });
    const third = pool.run(
      () => {
        throw new RangeError('c failed');
      },
      { name: 'c' },
    );
    expect(log).toEqual(['active:a']);
    a.resolve('A');
    await first;
    expect(log).toEqual(['active:a', 'completed:a=A', 'active:b']);
    b.resolve('B');
    await second;
    await third.catch(() => {});
    await flush();
    expect(log).toEqual([
      'active:a',
      'completed:a=A',
      'active:b',
      'completed:b=B',
      'active:c',
      'error:c=RangeError',
      'empty',
      'idle',
    ]);
    // Once idle, a new task starts the cycle again (a sync task: completed before empty/idle).
    await pool.run(() => 'D', { name: 'd' });
    expect(log.slice(8)).toEqual(['active:d', 'completed:d=D', 'idle']);
  });

  it('fires empty after the active of the task that emptied the queue', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const log = record(pool);
    const gate = deferred();
    const gate2 = deferred();
    const first = pool.run(() => gate.promise, { name: 'first' });
    const last = pool.run(() => gate2.promise, { name: 'last' });
    gate.resolve();
    await first;
    expect(log).toEqual(['active:first', 'completed:first', 'active:last', 'empty']);
    gate2.resolve();
    await last;
    expect(log.at(-1)).toBe('idle');
  });

  it('reports cleared, aborted and cancelled queued tasks as error events', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const log = record(pool);
    const gate = deferred();
    const running = pool.run(() => gate.promise, { name: 'running' });
    const controller = new AbortController();
    const aborted = pool.run(() => 1, { name: 'aborted', signal: controller.signal });
    const cleared = pool.run(() => 2, { name: 'cleared' });
    const outcomes = Promise.allSettled([aborted, cleared]);
    controller.abort(new TypeError('stop'));
    pool.clear();
    const reasons = (await outcomes).map((o) => (o as PromiseRejectedResult).reason);
    expect(reasons[1]).toBeInstanceOf(TaskClearedError);
    expect(log).toEqual([
      'active:running',
      'error:aborted=TypeError',
      'error:cleared=TaskClearedError',
      'empty',
    ]);
    gate.resolve();
    await running;
    expect(log.slice(-2)).toEqual(['completed:running', 'idle']);
  });

  it('reports a timeout as an error event at the deadline, idle only once the function settles', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    try {
      const pool = new AsyncPool({ maxConcurrency: 1 });
      const log = record(pool);
      const gate = deferred();
      const slow = pool.run(() => gate.promise, { name: 'slow', timeout: 10 });
      const caught = slow.catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(10);
      expect(await caught).toBeInstanceOf(TimeoutError);
      expect(log).toEqual(['active:slow', 'error:slow=TimeoutError']);
      gate.resolve();
      await flush();
      expect(log).toEqual(['active:slow', 'error:slow=TimeoutError', 'idle']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('listeners may change the pool from inside an event: clear on error, submit on completed', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    pool.addEventListener('error', () => pool.clear(), { once: true });
    let followUp: Promise<string> | undefined;
    pool.addEventListener(
      'completed',
      () => {
        followUp = pool.run(() => 'follow-up');
      },
      { once: true },
    );
    const first = pool.run(() => 'first');
    expect(await first).toBe('first');
    expect(await followUp).toBe('follow-up');
    const failing = pool.run(async () => {
      throw new Error('stop everything');
    });
    const rest = [pool.run(() => 1), pool.run(() => 2)].map((p) => p.catch((e: unknown) => e));
    await expect(failing).rejects.toThrow('stop everything');
    for (const outcome of await Promise.all(rest)) expect(outcome).toBeInstanceOf(TaskClearedError);
    expect(pool.stats).toMatchObject({ queued: 0, running: 0, completed: 2, failed: 3 });
    await pool.close();
  });

  it('honours once and signal, and removeEventListener', async () => {
    const pool = new AsyncPool({ maxConcurrency: 2 });
    let once = 0;
    let untilAbort = 0;
    let removed = 0;
    const controller = new AbortController();
    const listener = (): void => {
      removed++;
    };
    pool.addEventListener('completed', () => once++, { once: true });
    pool.addEventListener('completed', () => untilAbort++, { signal: controller.signal });
    pool.addEventListener('completed', listener);
    pool.removeEventListener('completed', listener);
    await pool.submit(() => 1);
    controller.abort();
    await pool.submit(() => 2);
    expect({ once, untilAbort, removed }).toEqual({ once: 1, untilAbort: 1, removed: 0 });
  });

  it('gives tasks their function name when they have no name, and their id and priority', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const seen: unknown[] = [];
    pool.addEventListener('active', (event) => seen.push(event.task));
    async function fetchUser(): Promise<void> {}
    await pool.submit(fetchUser);
    await pool.run(() => {}, { id: 7, priority: 2 });
    expect(seen).toEqual([
      { name: 'fetchUser', id: undefined, priority: 0 },
      { name: undefined, id: 7, priority: 2 },
    ]);
  });
});
