/**
 * The reply of a job is sent without waiting for Redis, on BullMQ's connection, right
 * before BullMQ's moveToFinished (src/reply-sender.ts). These tests try to break "a job's
 * result reaches the caller exactly once; a job never completes without its reply": worker
 * processes killed with SIGKILL at seeded moments while replies are in flight, the worker's
 * connections dropped under it, Redis killed and restarted mid-run, and a reply that Redis
 * refuses with an error. A lost reply shows as a map that never resolves (bounded here by
 * its signal); a doubled or misplaced one as a wrong result or a wrong count.
 */
import { seededRandom, startRedis, type RedisServer, waitFor } from '@fanout/test-kit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createQueueExecutor, type QueueExecutor, startQueueWorker } from '../src/index.js';
import { startWorkerProcess, type WorkerProcess } from './worker-processes.js';

const TASKS = new URL('./fixtures/tasks.mjs', import.meta.url);
/** Short claims, so that a killed worker's jobs come back quickly. */
const CLAIM = { lockDurationMs: 1000, stalledIntervalMs: 300 };
/** Bounds a lost reply (the map would otherwise wait forever); far above the normal run. */
const LOST_REPLY_MS = 30_000;
let redis: RedisServer;
let admin: Redis;
let queueSeq = 0;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.port, '127.0.0.1');
});

afterAll(async () => {
  admin.disconnect();
  await redis?.stop();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const range = (count: number) => Array.from({ length: count }, (_, i) => i);

/** Resolves once the executor has `count` settled jobs (polled: no event tells us). */
function untilCompleted(executor: QueueExecutor, count: number): Promise<void> {
  return waitFor(() => executor.stats.completed >= count, `${count} jobs completed`, 20_000);
}

/**
 * A fresh queue at `url` served by an in-process worker (short claims) and an executor
 * that allows many attempts; both closed after the test.
 */
async function serve(
  url: string,
  label: string,
  worker: { threads: number; concurrency?: number; onError?: (error: Error) => void },
): Promise<{ queue: string; executor: QueueExecutor }> {
  const queue = `${label}${++queueSeq}`;
  const served = await startQueueWorker({
    connection: url,
    queue,
    module: TASKS,
    ...worker,
    ...CLAIM,
  });
  cleanups.push(() => served.close({ timeoutMs: 100 }));
  const executor = createQueueExecutor({ connection: url, queue, maxAttempts: 50 });
  cleanups.push(() => executor.close({ cancelPending: true }));
  return { queue, executor };
}

function workerProcess(url: string, queue: string): Promise<WorkerProcess> {
  return startWorkerProcess({
    REDIS_URL: url,
    QUEUE: queue,
    THREADS: '1',
    CONCURRENCY: '4',
    LOCK_MS: String(CLAIM.lockDurationMs),
    STALLED_MS: String(CLAIM.stalledIntervalMs),
  });
}

describe('worker processes killed with SIGKILL while replies are in flight', () => {
  it('every result arrives, right and once, over 6 seeds', async () => {
    const queue = `replykill${++queueSeq}`;
    const started: WorkerProcess[] = [];
    const start = async () => {
      const worker = await workerProcess(redis.url, queue);
      started.push(worker);
      return worker;
    };
    cleanups.push(async () => {
      for (const worker of started) await worker.kill();
    });
    let workers = [await start(), await start()];
    const executor = createQueueExecutor({ connection: redis.url, queue, maxAttempts: 50 });
    cleanups.push(() => executor.close({ cancelPending: true }));
    let jobs = 0;
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const random = seededRandom(seed);
      const count = 120 + Math.floor(random() * 120);
      const chunkSize = 1 + Math.floor(random() * 2);
      const items = range(count);
      const before = executor.stats.completed;
      const mapped = executor.map<number, number>('square', items, {
        chunkSize,
        signal: AbortSignal.timeout(LOST_REPLY_MS),
      });
      mapped.catch(() => {}); // awaited below; a failed assertion before must not leave it unhandled
      // Kill a seeded worker once a seeded share of the map has come back: both workers
      // are then busy sending replies and finishing jobs, so the kill lands among them.
      const jobsOfMap = Math.ceil(count / chunkSize);
      await untilCompleted(executor, before + 1 + Math.floor(random() * (jobsOfMap / 2)));
      const victim = workers[Math.floor(random() * workers.length)]!;
      await victim.kill();
      workers = [...workers.filter((worker) => worker !== victim), await start()];
      expect(await mapped).toEqual(items.map((x) => x * x));
      jobs += jobsOfMap;
      expect(executor.stats).toMatchObject({ completed: jobs, failed: 0, queued: 0 });
    }
  }, 90_000);
});

/** Kills the Redis connections whose client name matches `pattern`; returns how many. */
async function dropConnections(pattern: RegExp): Promise<number> {
  const list = (await admin.client('LIST')) as string;
  let dropped = 0;
  for (const line of list.split('\n')) {
    const id = /\bid=(\d+)/.exec(line)?.[1];
    const name = /\bname=(\S*)/.exec(line)?.[1] ?? '';
    if (id === undefined || !pattern.test(name)) continue;
    dropped += Number(await admin.client('KILL', 'ID', id));
  }
  return dropped;
}

describe('connections dropped in the middle of a map', () => {
  const targets = [
    {
      what: "the worker's shared connection (replies and moveToFinished)",
      pattern: /^fanout-worker$/,
    },
    { what: 'every connection of the worker and the caller', pattern: /^fanout/ },
  ];
  for (const target of targets) {
    it(`loses and doubles nothing when ${target.what} drops, over 3 seeds`, async () => {
      const { executor } = await serve(redis.url, 'replydrop', { threads: 2, concurrency: 8 });
      let jobs = 0;
      for (const seed of [21, 22, 23]) {
        const random = seededRandom(seed);
        const count = 200 + Math.floor(random() * 200);
        const items = range(count);
        const before = executor.stats.completed;
        const mapped = executor.map<number, number>('square', items, {
          chunkSize: 1,
          signal: AbortSignal.timeout(LOST_REPLY_MS),
        });
        mapped.catch(() => {}); // awaited below
        let dropped = 0;
        // Three drops at seeded points of the map's progress.
        const points = [random(), random(), random()]
          .sort((a, b) => a - b)
          .map((share) => 1 + share * count * 0.6);
        for (const point of points) {
          await untilCompleted(executor, before + Math.floor(point));
          // Right after a drop the connection may still be reconnecting: drop it once back.
          await waitFor(async () => {
            const now = await dropConnections(target.pattern);
            dropped += now;
            return now > 0;
          }, `a connection named ${target.pattern} to drop`);
        }
        expect(dropped).toBeGreaterThanOrEqual(3);
        expect(await mapped).toEqual(items.map((x) => x * x));
        jobs += count;
        expect(executor.stats).toMatchObject({ completed: jobs, failed: 0, queued: 0 });
      }
    }, 60_000);
  }
});

describe('Redis killed with SIGKILL and restarted (append-only file) in the middle of a map', () => {
  it('every result arrives, right and once, over 3 seeds', async () => {
    const own = await startRedis({ appendOnly: true });
    cleanups.push(() => own.kill());
    const { executor } = await serve(own.url, 'replyrestart', { threads: 2, concurrency: 8 });
    let jobs = 0;
    for (const seed of [31, 32, 33]) {
      const random = seededRandom(seed);
      const count = 150 + Math.floor(random() * 150);
      const items = range(count);
      const before = executor.stats.completed;
      const mapped = executor.map<number, number>('square', items, {
        chunkSize: 1,
        signal: AbortSignal.timeout(LOST_REPLY_MS),
      });
      mapped.catch(() => {}); // awaited below; a failed assertion before must not leave it unhandled
      await untilCompleted(executor, before + 1 + Math.floor(random() * count * 0.6));
      await own.restart({ signal: 'SIGKILL', downMs: Math.floor(random() * 300) });
      expect(await mapped).toEqual(items.map((x) => x * x));
      jobs += count;
      expect(executor.stats).toMatchObject({ completed: jobs, failed: 0, queued: 0 });
    }
  }, 90_000);
});

describe('a reply that Redis refuses with an error', () => {
  /** Turns the caller's reply stream into a string (every reply fails with WRONGTYPE); `restore` brings it back. */
  const refuseReplies = async (queue: string, executorId: string) => {
    const replies = `fanout:${queue}:fanout-replies:${executorId}`;
    await admin.del(replies);
    await admin.set(replies, 'not a stream');
    return async () => {
      await admin.del(replies);
      await admin.xadd(replies, '*', 't', 'i');
    };
  };
  /** The caller's jobs still in BullMQ (a completed one would have been deleted with its record). */
  const jobsInBullmq = async (queue: string, executorId: string) =>
    (await admin.keys(`fanout:${queue}:${executorId}-*`)).filter((key) => !key.endsWith(':lock'));
  const refusals = (errors: Error[]) =>
    errors.filter((error) => /WRONGTYPE/.test(error.message)).length;

  it('does not let the job complete: it runs again and its result arrives once', async () => {
    const errors: Error[] = [];
    const { queue, executor } = await serve(redis.url, 'replyrefused', {
      threads: 1,
      onError: (error) => errors.push(error),
    });
    expect(await executor.run('add', [0, 0])).toBe(0);
    const restore = await refuseReplies(queue, executor.id);
    const result = executor.run('add', [1, 2]);
    result.catch(() => {}); // awaited below
    await waitFor(
      () => refusals(errors) >= 2,
      'two refused replies (the job ran again after the first)',
      20_000,
    );
    expect(await jobsInBullmq(queue, executor.id)).toHaveLength(1);
    // The stream is back: the next run of the job delivers its result.
    await restore();
    expect(await result).toBe(3);
    expect(executor.stats).toMatchObject({ completed: 2, failed: 0, queued: 0, running: 0 });
    await waitFor(async () => (await executor.queueCounts()).active === 0, 'no job left active');
  }, 30_000);

  it('does not let jobs complete when their replies leave in one write with BullMQ’s command', async () => {
    // One thread, four jobs at once: jobs wait for the thread, so the worker holds each
    // reply back to send it together with BullMQ's moveToFinished (reply-sender.ts).
    const errors: Error[] = [];
    const { queue, executor } = await serve(redis.url, 'replyrefusedheld', {
      threads: 1,
      concurrency: 4,
      onError: (error) => errors.push(error),
    });
    expect(await executor.run('add', [0, 0])).toBe(0);
    const restore = await refuseReplies(queue, executor.id);
    const results = Promise.all(range(4).map((i) => executor.run('add', [i, i])));
    results.catch(() => {}); // awaited below
    await waitFor(
      () => refusals(errors) >= 8,
      'every job refused twice (each ran again after the first)',
      20_000,
    );
    expect(await jobsInBullmq(queue, executor.id)).toHaveLength(4);
    await restore();
    expect(await results).toEqual([0, 2, 4, 6]);
    expect(executor.stats).toMatchObject({ completed: 5, failed: 0, queued: 0, running: 0 });
    await waitFor(async () => (await executor.queueCounts()).active === 0, 'no job left active');
  }, 30_000);
});
