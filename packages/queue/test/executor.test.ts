import { readFile } from 'node:fs/promises';
import {
  ExecutorClosedError,
  type ModuleExecutor,
  QueueFullError,
  WorkerPool,
} from '@fanout/executors';
import {
  deferred,
  seededRandom,
  tempDir,
  waitFor,
  startRedis,
  type RedisServer,
} from '@fanout/test-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createQueueExecutor,
  type QueueExecutor,
  type QueueWorker,
  startQueueWorker,
  UnsupportedValueError,
} from '../src/index.js';

const TASKS = new URL('./fixtures/tasks.mjs', import.meta.url);
let redis: RedisServer;
let admin: Redis;
let queueSeq = 0;

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.port, '127.0.0.1');
});

afterAll(async () => {
  admin.disconnect();
  await redis?.stop();
});

/** A fresh queue with one in-process worker of `threads` threads, and an executor on it. */
async function serve(
  threads = 2,
  executorOptions: { maxQueue?: number } = {},
): Promise<{ queue: string; worker: QueueWorker; executor: QueueExecutor } & AsyncDisposable> {
  const queue = `q${++queueSeq}`;
  const worker = await startQueueWorker({ connection: redis.url, queue, module: TASKS, threads });
  const executor = createQueueExecutor({ connection: redis.url, queue, ...executorOptions });
  return {
    queue,
    worker,
    executor,
    async [Symbol.asyncDispose]() {
      await executor.close();
      await worker.close();
    },
  };
}

/** Every Redis key of a queue (prefix `fanout`). */
async function keysOf(queue: string): Promise<string[]> {
  return (await admin.keys(`fanout:${queue}:*`)).sort();
}

describe('QueueExecutor', () => {
  it('runs calls and maps on the workers, results in input order', async () => {
    await using served = await serve();
    const { executor } = served;
    expect(await executor.run<number>('add', [2, 3])).toBe(5);
    expect(await executor.submit<number>('add', 40, 2)).toBe(42);
    const random = seededRandom(7);
    for (let round = 0; round < 5; round++) {
      const items = Array.from({ length: 1 + Math.floor(random() * 120) }, () =>
        Math.floor(random() * 1e6),
      );
      const chunkSize = 1 + Math.floor(random() * 17);
      const squares = await executor.map<number, number>('square', items, { chunkSize });
      expect(squares).toEqual(items.map((x) => x * x));
    }
    expect(await executor.map('square', [])).toEqual([]);
    expect(await executor.map<number, number>('square', new Set([3, 4]))).toEqual([9, 16]);
  });

  it('carries BigInt, undefined, Map, Set, Date and bytes there and back', async () => {
    await using served = await serve(1);
    const { executor } = served;
    expect(await executor.run('double', [2n ** 80n])).toBe(2n ** 81n);
    expect(await executor.map('double', [1n, -(2n ** 64n), 3])).toEqual([2n, -(2n ** 65n), 6]);
    const value = {
      big: 123456789012345678901234567890n,
      list: [1, undefined, -0, Number.NaN],
      map: new Map<unknown, unknown>([[1n, new Set(['a'])]]),
      when: new Date(0),
      bytes: new Uint8Array([1, 2, 255]),
      $fanout: 'not a tag',
    };
    const back = (await executor.run('echo', [value])) as typeof value;
    expect(back).toEqual(value);
    expect(Object.is(back.list[2], -0)).toBe(true);
    expect(back.bytes).toBeInstanceOf(Uint8Array);
  });

  it('rejects with the task error: name, message, stack, cause, code and fields', async () => {
    await using served = await serve(1);
    const { executor } = served;
    const error = (await executor
      .run('fail', ['boom', 'E_BOOM'])
      .catch((e: unknown) => e)) as TypeError & {
      code: string;
      detail: unknown;
    };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.name).toBe('TypeError');
    expect(error.message).toBe('boom');
    expect(error.code).toBe('E_BOOM');
    expect(error.detail).toEqual({ at: 12n, list: [1, 2] });
    expect(error.stack).toContain('tasks.mjs');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect((error.cause as Error).message).toBe('inner of boom');
    expect((error.cause as { code?: string }).code).toBe('INNER');
    const custom = (await executor
      .run('failCustom', ['declined'])
      .catch((e: unknown) => e)) as Error & {
      code: string;
    };
    expect(custom.name).toBe('PaymentDeclinedError');
    expect(custom.code).toBe('E_DECLINED');
    const missing = (await executor.run('nope').catch((e: unknown) => e)) as Error;
    expect(missing.message).toMatch(/no exported function "nope"/);
  });

  it('refuses what cannot travel, naming where it is, before anything is sent', async () => {
    await using served = await serve(1);
    const { executor } = served;
    const error = await executor.run('echo', [{ a: [1, () => 2] }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedValueError);
    expect((error as UnsupportedValueError).path).toBe('args[0].a[1]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(executor.map('echo', [cyclic])).rejects.toBeInstanceOf(UnsupportedValueError);
    expect(executor.stats.failed).toBe(0);
  });

  it('a job whose arguments the worker cannot decode rejects its run, never leaves it waiting', async () => {
    const queue = `q${++queueSeq}`;
    const executor = createQueueExecutor({ connection: redis.url, queue });
    try {
      // No worker yet: the job waits in Redis, where its arguments get damaged (as another
      // version's encoding would look to this worker).
      const running = executor.run('add', [1, 2]).catch((e: unknown) => e);
      let jobKey: string | undefined;
      await waitFor(async () => {
        const ids = await admin.lrange(`fanout:${queue}:wait`, 0, -1);
        jobKey = ids[0] === undefined ? undefined : `fanout:${queue}:${ids[0]}`;
        return jobKey !== undefined;
      }, 'the job waiting in Redis');
      const data = JSON.parse((await admin.hget(jobKey!, 'data'))!) as Record<string, unknown>;
      await admin.hset(
        jobKey!,
        'data',
        JSON.stringify({ ...data, p: { $fanout: 'from-the-future' } }),
      );
      const worker = await startQueueWorker({
        connection: redis.url,
        queue,
        module: TASKS,
        threads: 1,
      });
      try {
        const error = (await running) as Error;
        expect(error).toBeInstanceOf(Error);
        expect(error.message).toMatch(/arguments could not be decoded/);
        expect(String((error.cause as Error | undefined)?.message)).toMatch(/from-the-future/);
        // The queue still serves good jobs.
        expect(await executor.run<number>('add', [2, 3])).toBe(5);
      } finally {
        await worker.close();
      }
    } finally {
      await executor.close();
    }
  });

  it('map is fail-fast: the first error rejects and the remaining jobs are cancelled', async () => {
    const temp = await tempDir('queue-failfast');
    try {
      await using served = await serve(2);
      const { executor, worker } = served;
      const items = Array.from({ length: 40 }, (_, i) => ({ i, ms: 30, dir: temp.dir }));
      // Item 3 fails at once; the others are slow, so most are still waiting then.
      const failing = items.map((item) => (item.i === 3 ? { ...item, ms: -1 } : item));
      const error = await executor
        .map('trackedOrFail', failing, { chunkSize: 1 })
        .catch((e: unknown) => e);
      expect((error as Error).message).toBe('item 3 failed');
      await waitFor(
        async () => (await served.executor.queueCounts()).waiting === 0,
        'waiting jobs removed',
      );
      await waitFor(() => worker.stats.running === 0, 'no job running');
      const log = await readFile(`${temp.dir}/log`, 'utf8');
      const started = log.split('\n').filter((line) => line.startsWith('start')).length;
      expect(started).toBeLessThan(items.length);
      expect(executor.stats.running + executor.stats.queued).toBe(0);
    } finally {
      await temp.cleanup();
    }
  });

  it('settle: every item settles, errors in place', async () => {
    await using served = await serve(2);
    const items = Array.from({ length: 10 }, (_, i) => ({ i, fail: i % 4 === 1 }));
    const settled = await served.executor.map<{ i: number }, number>('failOn', items, {
      chunkSize: 3,
      settle: true,
    });
    expect(settled).toHaveLength(10);
    settled.forEach((one, i) => {
      if (i % 4 === 1) {
        expect(one.status).toBe('rejected');
        expect((one as PromiseRejectedResult).reason.message).toBe(`item ${i} failed`);
      } else {
        expect(one).toEqual({ status: 'fulfilled', value: i });
      }
    });
  });

  it('maxQueue: run refuses past it, waitForRoom waits, map stays within it', async () => {
    await using served = await serve(1, { maxQueue: 2 });
    const { executor } = served;
    expect(executor.maxQueue).toBe(2);
    const a = executor.run('spinFor', [150]);
    const b = executor.run('spinFor', [150]);
    await expect(executor.run('spinFor', [1])).rejects.toBeInstanceOf(QueueFullError);
    const room = deferred<void>();
    executor.waitForRoom().then(room.resolve, room.reject);
    await a;
    await room.promise;
    await b;
    let most = 0;
    const watching = setInterval(() => {
      most = Math.max(most, executor.stats.queued + executor.stats.running);
    }, 1);
    const items = Array.from({ length: 12 }, (_, i) => i);
    expect(await executor.map('square', items, { chunkSize: 1 })).toEqual(items.map((x) => x * x));
    clearInterval(watching);
    expect(most).toBeLessThanOrEqual(2);
  });

  it('stats count waiting, active, completed and failed jobs', async () => {
    await using served = await serve(1);
    const { executor } = served;
    // Long enough that the check below sees it running even on a loaded machine.
    const slow = executor.run('spinFor', [1500]);
    const queued = executor.run('spinFor', [10]);
    await waitFor(() => executor.stats.active === 1, 'one job active');
    expect(executor.stats).toMatchObject({ waiting: 1, active: 1, queued: 1, running: 1 });
    await Promise.all([slow, queued]);
    await executor.run('fail', ['x', 'E']).catch(() => {});
    expect(executor.stats).toEqual({
      queued: 0,
      running: 0,
      waiting: 0,
      active: 0,
      completed: 2,
      failed: 1,
    });
  });

  it('abort: a run rejects with the reason and its running job stops on the worker', async () => {
    await using served = await serve(1);
    const { executor, worker } = served;
    const controller = new AbortController();
    const running = executor.run('spinFor', [60_000], { signal: controller.signal });
    await waitFor(() => worker.stats.running === 1, 'the job runs');
    const reason = new Error('stop it');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await waitFor(() => worker.stats.running === 0, 'the job stopped on the worker', 15_000);
    expect(worker.stats.cancelled).toBe(1);
    await expect(executor.run('add', [1, 1], { signal: controller.signal })).rejects.toBe(reason);
    expect(await executor.run('add', [1, 1])).toBe(2);
  });

  it('abort of a map stops each of its running jobs on the worker, and no other map’s', async () => {
    await using served = await serve(3);
    const { executor, worker } = served;
    const controller = new AbortController();
    // Three threads: both jobs of the aborted map run, and the other map's job beside them.
    const aborted = executor.map('spinFor', [60_000, 60_000], {
      chunkSize: 1,
      signal: controller.signal,
    });
    aborted.catch(() => {}); // awaited below
    const other = executor.map('spinFor', [2000], { signal: AbortSignal.timeout(30_000) });
    await waitFor(() => worker.stats.running === 3, 'all three jobs run');
    const reason = new Error('stop this map');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    await waitFor(() => worker.stats.cancelled === 2, 'both jobs stopped on the worker', 15_000);
    expect(await other).toEqual([2000]);
    expect(worker.stats).toMatchObject({ cancelled: 2, completed: 1, running: 0 });
  });

  it('finished jobs leave nothing in Redis', async () => {
    const { executor, worker, queue } = await serve(2);
    await executor.map(
      'square',
      Array.from({ length: 600 }, (_, i) => i),
      { chunkSize: 1 },
    );
    await Promise.all(Array.from({ length: 20 }, (_, i) => executor.run('add', [i, 1])));
    await executor.run('fail', ['x', 'E']).catch(() => {});
    const replies = `fanout:${queue}:fanout-replies:${executor.id}`;
    await waitFor(async () => (await admin.xlen(replies)) === 0, 'replies trimmed once read');
    expect(await admin.pttl(replies)).toBeGreaterThan(0);
    // BullMQ's bookkeeping only: no job record, no wait/active/completed/failed entries.
    const bookkeeping = ['events', 'id', 'meta', 'stalled-check'].map(
      (k) => `fanout:${queue}:${k}`,
    );
    expect(await keysOf(queue)).toEqual([...bookkeeping, replies].sort());
    // The event stream is capped (about 1000 entries) although ~1900 events were written.
    expect(await admin.xlen(`fanout:${queue}:events`)).toBeLessThan(1200);
    await executor.close();
    await worker.close();
    // Closing the executor drops its reply stream; what is left is BullMQ's bookkeeping.
    const left = await keysOf(queue);
    expect(left.filter((key) => !bookkeeping.includes(key))).toEqual([]);
  });

  it('close is idempotent, waits for outstanding jobs, then refuses', async () => {
    const { executor, worker } = await serve(1);
    const outstanding = executor.run<number>('add', [1, 2]);
    const first = executor.close();
    expect(executor.close()).toBe(first);
    await first;
    expect(await outstanding).toBe(3);
    await expect(executor.run('add', [1, 2])).rejects.toBeInstanceOf(ExecutorClosedError);
    await expect(executor.map('square', [1])).rejects.toBeInstanceOf(ExecutorClosedError);
    await expect(executor.waitForRoom()).rejects.toBeInstanceOf(ExecutorClosedError);
    await executor[Symbol.asyncDispose]();
    await worker.close();
    expect(worker.close()).toBe(worker.close());
  });

  it('close({ cancelPending }) rejects outstanding jobs and stops them on the workers', async () => {
    const { executor, worker } = await serve(1);
    const running = executor.run('spinFor', [60_000]);
    const waiting = executor.run('spinFor', [60_000]);
    const rejected = Promise.all([
      expect(running).rejects.toBeInstanceOf(ExecutorClosedError),
      expect(waiting).rejects.toBeInstanceOf(ExecutorClosedError),
    ]);
    await waitFor(() => worker.stats.running === 1, 'one job runs');
    await executor.close({ cancelPending: true });
    await rejected;
    await waitFor(() => worker.stats.running === 0, 'the job stopped', 15_000);
    await worker.close();
  });

  it('moves code written against a WorkerPool by changing the constructor', async () => {
    const sumOfSquares = async (executor: ModuleExecutor, n: number) => {
      const squares = await executor.map<number, number>(
        'square',
        Array.from({ length: n }, (_, i) => i),
      );
      return squares.reduce((a, b) => a + b, 0) + (await executor.run<number>('add', [1, 2]));
    };
    const pool = new WorkerPool({ module: TASKS, maxThreads: 2 });
    const local = await sumOfSquares(pool, 300);
    await pool.close();
    await using served = await serve(2);
    expect(await sumOfSquares(served.executor, 300)).toBe(local);
  });
});

describe('QueueExecutor#workerCount', () => {
  it('counts the workers connected to the queue', async () => {
    const queue = `count${++queueSeq}`;
    const executor = createQueueExecutor({ connection: redis.url, queue });
    expect(await executor.workerCount()).toBe(0);
    const one = await startQueueWorker({ connection: redis.url, queue, module: TASKS, threads: 1 });
    const two = await startQueueWorker({ connection: redis.url, queue, module: TASKS, threads: 1 });
    expect(await executor.workerCount()).toBe(2);
    await one.close();
    await waitFor(async () => (await executor.workerCount()) === 1, 'one worker left');
    await two.close();
    await executor.close();
  });
});
