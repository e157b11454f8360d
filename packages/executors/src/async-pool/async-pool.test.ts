import { describe, expect, it } from 'vitest';
import { deferred, flush } from '@fanout/test-kit';
import { AsyncPool } from './async-pool.js';
import { ExecutorClosedError, QueueFullError } from '../errors.js';

describe('AsyncPool', () => {
  it('never runs more than maxConcurrency tasks, and starts them in FIFO order', async () => {
    const pool = new AsyncPool({ maxConcurrency: 2 });
    const gates = Array.from({ length: 5 }, () => deferred<number>());
    const started: number[] = [];
    let inFlight = 0;
    let peak = 0;
    const results = gates.map((gate, i) =>
      pool.submit(async () => {
        started.push(i);
        inFlight++;
        peak = Math.max(peak, inFlight);
        const value = await gate.promise;
        inFlight--;
        return value;
      }),
    );
    expect(started).toEqual([0, 1]);
    expect(pool.stats).toEqual({ queued: 3, running: 2, completed: 0, failed: 0 });

    gates[1]?.resolve(1);
    await flush();
    expect(started).toEqual([0, 1, 2]);
    expect(pool.stats.running).toBe(2);

    gates[0]?.resolve(0);
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const [i, gate] of gates.entries()) gate.resolve(i);
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(pool.stats).toEqual({ queued: 0, running: 0, completed: 5, failed: 0 });
    await pool.close();
  });

  it('rejects with the very error instance the task threw or rejected with', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1 });
    const syncError = new TypeError('sync');
    const asyncError = new RangeError('async');
    const sync = pool.submit(() => {
      throw syncError;
    });
    const async = pool.submit(async () => {
      throw asyncError;
    });
    await expect(sync).rejects.toBe(syncError);
    await expect(async).rejects.toBe(asyncError);
    expect(pool.stats.failed).toBe(2);
  });

  it('a task started in a free slot frees it when it settles, either way', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 2 });
    const ok = deferred<string>();
    const bad = deferred<string>();
    const failure = new Error('task failed');
    // Both start at once in free slots; the third waits for one of them.
    const first = pool.submit(() => ok.promise);
    const second = pool.submit(() => bad.promise);
    const third = pool.submit((n: number) => n * 2, 21);
    expect(pool.stats).toEqual({ queued: 1, running: 2, completed: 0, failed: 0 });
    bad.reject(failure);
    await expect(second).rejects.toBe(failure);
    expect(await third).toBe(42);
    expect(pool.stats).toEqual({ queued: 0, running: 1, completed: 1, failed: 1 });
    ok.resolve('done');
    expect(await first).toBe('done');
    expect(pool.stats).toEqual({ queued: 0, running: 0, completed: 2, failed: 1 });
  });

  it('passes arguments and accepts sync functions and foreign thenables', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 3 });
    const thenable: PromiseLike<string> = {
      // biome-ignore lint/suspicious/noThenProperty: testing a foreign thenable on purpose
      then: (onFulfilled) => Promise.resolve(onFulfilled?.('thenable')) as never,
    };
    expect(await pool.submit((a: number, b: number) => a + b, 2, 3)).toBe(5);
    expect(await pool.submit(() => thenable)).toBe('thenable');
  });

  it('rejects with QueueFullError once maxQueue tasks wait, and waitForRoom resolves on room', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1, maxQueue: 1 });
    const gate = deferred();
    const first = pool.submit(() => gate.promise);
    const second = pool.submit(() => 'queued');
    const third = pool.submit(() => 'overflow');
    await expect(third).rejects.toBeInstanceOf(QueueFullError);
    await expect(third).rejects.toMatchObject({ maxQueue: 1 });

    let roomy = false;
    const room = pool.waitForRoom().then(() => {
      roomy = true;
    });
    await flush();
    expect(roomy).toBe(false);
    gate.resolve();
    await room;
    expect(roomy).toBe(true);
    await first;
    expect(await second).toBe('queued');
    expect(await pool.submit(() => 'after')).toBe('after');
  });

  it('waitForRoom: resolves at once with room, rejects on abort and on close', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1, maxQueue: 0 });
    await pool.waitForRoom();
    const gate = deferred();
    const running = pool.submit(() => gate.promise);

    const controller = new AbortController();
    const aborted = pool.waitForRoom({ signal: controller.signal });
    const reason = new Error('stop waiting');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);

    const closing = pool.waitForRoom();
    const closed = pool.close();
    await expect(closing).rejects.toBeInstanceOf(ExecutorClosedError);
    await expect(pool.waitForRoom()).rejects.toBeInstanceOf(ExecutorClosedError);
    gate.resolve();
    await running;
    await closed;
  });

  it('a queued task whose signal aborts is removed and rejects with signal.reason', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1 });
    const gate = deferred();
    const first = pool.submit(() => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const queued = pool.run(
      () => {
        ran = true;
      },
      { signal: controller.signal },
    );
    const after = pool.submit(() => 'after');
    expect(pool.stats.queued).toBe(2);
    const reason = new Error('no longer needed');
    controller.abort(reason);
    await expect(queued).rejects.toBe(reason);
    expect(pool.stats.queued).toBe(1);
    gate.resolve();
    await first;
    expect(await after).toBe('after');
    expect(ran).toBe(false);
    expect(pool.stats).toEqual({ queued: 0, running: 0, completed: 2, failed: 1 });
  });

  it('an already aborted signal rejects before the task starts', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1 });
    let ran = false;
    const reason = new Error('too late');
    const task = pool.run(
      () => {
        ran = true;
      },
      { signal: AbortSignal.abort(reason) },
    );
    await expect(task).rejects.toBe(reason);
    expect(ran).toBe(false);
  });

  it('passes the signal to a running task, which decides how to stop', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1 });
    const controller = new AbortController();
    const started = deferred();
    const task = pool.run(
      ({ signal }) =>
        new Promise((_resolve, reject) => {
          started.resolve();
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
      { signal: controller.signal },
    );
    await started.promise;
    const reason = new Error('cancelled while running');
    controller.abort(reason);
    await expect(task).rejects.toBe(reason);
    expect(pool.stats.running).toBe(0);
  });

  it('gives tasks without a caller signal a working context signal', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1 });
    const aborted = await pool.run(({ signal }) => signal.aborted);
    expect(aborted).toBe(false);
  });

  it('close() lets queued tasks run, rejects new ones, and is idempotent', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const gate = deferred<string>();
    const running = pool.submit(() => gate.promise);
    const queued = pool.submit(() => 'queued ran');
    const closed = pool.close();
    expect(pool.close()).toBe(closed);
    await expect(pool.submit(() => 'late')).rejects.toBeInstanceOf(ExecutorClosedError);
    let done = false;
    void closed.then(() => {
      done = true;
    });
    await flush();
    expect(done).toBe(false);
    gate.resolve('running ran');
    await closed;
    expect(await running).toBe('running ran');
    expect(await queued).toBe('queued ran');
  });

  it('close({ cancelPending }) rejects queued tasks, lets running ones finish, never hangs', async () => {
    const pool = new AsyncPool({ maxConcurrency: 2 });
    const gates = [deferred<string>(), deferred<string>()];
    const running = gates.map((gate) => pool.submit(() => gate.promise));
    let queuedRan = 0;
    const queued = Array.from({ length: 3 }, () =>
      pool.submit(() => {
        queuedRan++;
      }),
    );
    const closed = pool.close({ cancelPending: true });
    for (const task of queued) await expect(task).rejects.toBeInstanceOf(ExecutorClosedError);
    expect(pool.stats).toEqual({ queued: 0, running: 2, completed: 0, failed: 3 });
    gates[0]?.resolve('a');
    gates[1]?.resolve('b');
    await closed;
    expect(await Promise.all(running)).toEqual(['a', 'b']);
    expect(queuedRan).toBe(0);
    await pool[Symbol.asyncDispose]();
  });

  it('a later close({ cancelPending: true }) still cancels what is queued', async () => {
    const pool = new AsyncPool({ maxConcurrency: 1 });
    const gate = deferred();
    const running = pool.submit(() => gate.promise);
    const queued = pool.submit(() => 'never');
    const first = pool.close();
    const second = pool.close({ cancelPending: true });
    expect(second).toBe(first);
    await expect(queued).rejects.toBeInstanceOf(ExecutorClosedError);
    gate.resolve();
    await running;
    await first;
  });

  it('onIdle resolves when nothing is queued or running', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 2 });
    await pool.onIdle();
    const gate = deferred();
    void pool.submit(() => gate.promise);
    let idle = false;
    const waiting = pool.onIdle().then(() => {
      idle = true;
    });
    await flush();
    expect(idle).toBe(false);
    gate.resolve();
    await waiting;
    expect(idle).toBe(true);
  });

  it('runs a long queue of synchronous tasks without deep recursion', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1 });
    const gate = deferred();
    const first = pool.submit(() => gate.promise);
    const rest = Array.from({ length: 50_000 }, (_, i) => pool.submit(() => i));
    gate.resolve();
    await first;
    const values = await Promise.all(rest);
    expect(values[49_999]).toBe(49_999);
  });

  it('validates its options', () => {
    expect(() => new AsyncPool({ maxConcurrency: 0 })).toThrow(RangeError);
    expect(() => new AsyncPool({ maxConcurrency: 1.5 })).toThrow(RangeError);
    expect(() => new AsyncPool({ maxConcurrency: 1, maxQueue: -1 })).toThrow(RangeError);
    expect(new AsyncPool({ maxConcurrency: Number.POSITIVE_INFINITY }).maxConcurrency).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});

describe('AsyncPool#map', () => {
  it('returns results in input order whatever the completion order', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 3 });
    const gates = Array.from({ length: 4 }, () => deferred());
    const mapped = pool.map(
      async (n: number, i) => {
        await gates[i]?.promise;
        return n * 10;
      },
      [1, 2, 3, 4],
    );
    gates[2]?.resolve();
    gates[0]?.resolve();
    await flush();
    gates[3]?.resolve();
    gates[1]?.resolve();
    expect(await mapped).toEqual([10, 20, 30, 40]);
  });

  it('keeps at most maxConcurrency items in flight and pulls items lazily', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 2, maxQueue: 0 });
    let pulled = 0;
    function* items(): Generator<number> {
      for (let i = 0; i < 6; i++) {
        pulled++;
        yield i;
      }
    }
    const gates = Array.from({ length: 6 }, () => deferred());
    const mapped = pool.map((i: number) => gates[i]?.promise.then(() => i), items());
    expect(pulled).toBe(2);
    expect(pool.stats.running).toBe(2);
    for (const gate of gates) gate.resolve();
    expect(await mapped).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('fails fast with the first error and aborts the other tasks with it', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 2 });
    const failure = new Error('item 1 failed');
    const seen: unknown[] = [];
    const gate = deferred();
    let started = 0;
    const mapped = pool.map(
      async (i: number, _index, { signal }) => {
        started++;
        if (i === 1) {
          await gate.promise;
          throw failure;
        }
        await new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        seen.push(signal.reason);
      },
      [0, 1, 2, 3],
    );
    gate.resolve();
    await expect(mapped).rejects.toBe(failure);
    await pool.onIdle();
    expect(seen).toEqual([failure]);
    expect(started).toBe(2);
  });

  it('rejects with the caller signal reason on abort', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1 });
    const controller = new AbortController();
    const mapped = pool.map(
      (_i: number, _index, { signal }) =>
        new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
      [1, 2, 3],
      { signal: controller.signal },
    );
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(mapped).rejects.toBe(reason);
    await expect(pool.map((x: number) => x, [1], { signal: controller.signal })).rejects.toBe(
      reason,
    );
  });

  it('maps an empty iterable to [] and validates chunkSize', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1 });
    expect(await pool.map((x: number) => x, [])).toEqual([]);
    expect(await pool.map((x: number) => x * 2, [1, 2], { chunkSize: 5 })).toEqual([2, 4]);
    await expect(pool.map((x: number) => x, [1], { chunkSize: 0 })).rejects.toBeInstanceOf(
      RangeError,
    );
  });

  it('rejects when the iterable throws', async () => {
    await using pool = new AsyncPool({ maxConcurrency: 1 });
    const broken = new Error('iterator broke');
    function* items(): Generator<number> {
      yield 1;
      throw broken;
    }
    await expect(pool.map((x: number) => x, items())).rejects.toBe(broken);
  });
});
