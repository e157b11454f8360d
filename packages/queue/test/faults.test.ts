/**
 * The guarantees, tried the way they break: worker processes killed with SIGKILL in the
 * middle of a map, Redis stopped under a run, a map aborted while its jobs run on two
 * machines' worth of processes, a worker stopped with SIGTERM. Real Redis, real processes.
 */
import {
  seededRandom,
  tempDir,
  type TempDir,
  waitFor,
  startRedis,
  type RedisServer,
} from '@fanout/test-kit';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createQueueExecutor,
  QueueConnectionError,
  type QueueExecutor,
  startQueueWorker,
} from '../src/index.js';
import { beats, inProgress, readLog } from './log-file.js';
import { startWorkerProcess, type WorkerProcess } from './worker-processes.js';

const TASKS = new URL('./fixtures/tasks.mjs', import.meta.url);
let redis: RedisServer;
let temp: TempDir;
let queueSeq = 0;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(workers: number, env: Record<string, string> = {}) {
  temp = await tempDir('queue-faults');
  const queue = `faults${++queueSeq}`;
  const processes: WorkerProcess[] = [];
  cleanups.push(() => temp.cleanup());
  for (let i = 0; i < workers; i++) {
    const worker = await startWorkerProcess({
      REDIS_URL: redis.url,
      QUEUE: queue,
      THREADS: '1',
      ...env,
    });
    processes.push(worker);
    cleanups.push(() => worker.kill());
  }
  const executor = createQueueExecutor({ connection: redis.url, queue });
  cleanups.push(() => executor.close({ cancelPending: true }));
  return { queue, processes, executor, dir: temp.dir };
}

function items(count: number, ms: number, dir: string) {
  return Array.from({ length: count }, (_, i) => ({ i, ms, dir }));
}

describe('a worker killed with SIGKILL in the middle of a map', () => {
  for (const seed of [1, 2, 3]) {
    it(`every result is still right, delivered once (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const { processes, executor, dir } = await setup(2);
      const count = 12 + Math.floor(random() * 10);
      const chunkSize = 1 + Math.floor(random() * 3);
      // One seeded item holds its worker until released: that worker is the victim, killed
      // for certain in the middle of a job, whatever the machine's speed.
      const held = Math.floor(random() * count);
      const work = items(count, 60, dir).map((item) =>
        item.i === held ? { ...item, hold: true } : item,
      );
      const mapped = executor.map<{ i: number }, number>('tracked', work, { chunkSize });
      let victim: WorkerProcess | undefined;
      await waitFor(async () => {
        const log = await readLog(dir);
        victim = processes.find((p) => inProgress(log, p.pid).includes(held));
        return victim !== undefined;
      }, 'a worker to start the held item');
      await victim!.kill();
      const killedDuring = inProgress(await readLog(dir), victim!.pid);
      expect(killedDuring).toContain(held);
      await writeFile(join(dir, 'release'), '');
      const results = await mapped;
      expect(results).toEqual(Array.from({ length: count }, (_, i) => i * i));
      // At least once: what the victim was running was run again, by the survivor.
      const log = await readLog(dir);
      for (const item of killedDuring) {
        expect(
          log.some(
            (line) => line.item === item && line.event === 'end' && line.pid !== victim!.pid,
          ),
        ).toBe(true);
      }
      // Exactly once to the caller: one settlement per job, none failed.
      expect(executor.stats).toMatchObject({
        completed: Math.ceil(count / chunkSize),
        failed: 0,
        queued: 0,
        running: 0,
      });
    });
  }
});

describe('a second reply for a job (a re-run after its worker died)', () => {
  it('is ignored: the caller settles each job once', async () => {
    const { executor, queue } = await setup(1);
    expect(await executor.run('add', [1, 2])).toBe(3);
    // Forge the late duplicate a re-run would send.
    const { Redis } = await import('ioredis');
    const client = new Redis(redis.port, '127.0.0.1');
    const key = `fanout:${queue}:fanout-replies:${executor.id}`;
    const jobId = `${executor.id}-j2`;
    await client.xadd(key, '*', 't', 'r', 'j', jobId, 'o', JSON.stringify({ ok: true, value: 99 }));
    await waitFor(async () => (await client.xlen(key)) === 0, 'the duplicate read');
    client.disconnect();
    expect(await executor.run('add', [2, 2])).toBe(4);
    expect(executor.stats).toMatchObject({ completed: 2, failed: 0 });
  });
});

describe('Redis stopped in the middle of a run', () => {
  const variants = [
    { name: 'SIGKILL while jobs run', signal: 'kill', beforeStart: false },
    { name: 'SIGTERM while jobs run', signal: 'stop', beforeStart: false },
    { name: 'SIGKILL before any job started', signal: 'kill', beforeStart: true },
  ] as const;
  for (const variant of variants) {
    it(`gives QueueConnectionError in bounded time, no hang (${variant.name})`, async () => {
      const own = await startRedis();
      const dir = await tempDir('queue-redis-down');
      cleanups.push(() => dir.cleanup());
      cleanups.push(() => own.kill());
      const queue = `down${++queueSeq}`;
      const worker = variant.beforeStart
        ? undefined
        : await startQueueWorker({ connection: own.url, queue, module: TASKS, threads: 1 });
      const executor: QueueExecutor = createQueueExecutor({
        connection: own.url,
        queue,
        connectionTimeoutMs: 1000,
      });
      const mapped = executor.map('tracked', items(6, 2000, dir.dir), { chunkSize: 1 });
      const outcome = mapped.then(
        () => 'resolved',
        (error: unknown) => error,
      );
      if (worker !== undefined) {
        await waitFor(async () => (await readLog(dir.dir)).length > 0, 'a job to start');
      } else {
        await waitFor(async () => (await executor.queueCounts()).waiting > 0, 'jobs in Redis');
      }
      await (variant.signal === 'kill' ? own.kill() : own.stop());
      const error = await outcome;
      expect(error).toBeInstanceOf(QueueConnectionError);
      expect((error as QueueConnectionError).address).toBe(`127.0.0.1:${own.port}`);
      expect((error as QueueConnectionError).message).toMatch(/lost the connection to Redis/);
      // Later calls fail at once, and closing does not wait for Redis.
      await expect(executor.run('add', [1, 1])).rejects.toBeInstanceOf(QueueConnectionError);
      await executor.close();
      await worker?.close({ timeoutMs: 100 });
    }, 30_000);
  }
});

describe('an aborted map', () => {
  it('leaves no job running on any worker, and none waiting', async () => {
    const { processes, executor, dir } = await setup(2);
    const controller = new AbortController();
    const mapped = executor.map('tracked', items(10, 30_000, dir), {
      chunkSize: 1,
      signal: controller.signal,
    });
    await waitFor(async () => {
      const log = await readLog(dir);
      return processes.every((p) => inProgress(log, p.pid).length === 1);
    }, 'both workers running a job');
    const reason = new Error('enough');
    controller.abort(reason);
    await expect(mapped).rejects.toBe(reason);
    for (const worker of processes) {
      await waitFor(
        async () => (await worker.stats()).running === 0,
        `worker ${worker.pid} to stop its job`,
        15_000,
      );
    }
    // A stopped job leaves BullMQ's active list once its worker has recorded it (a round
    // trip after the thread stopped); nothing may stay waiting or active.
    await waitFor(async () => {
      const counts = await executor.queueCounts();
      return counts.waiting + counts.active + counts.delayed === 0;
    }, 'no job left waiting or active in Redis');
    // Nothing keeps beating: every thread that ran a tracked task was stopped.
    const size = await beats(dir);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await beats(dir)).toBe(size);
    const log = await readLog(dir);
    expect(log.filter((line) => line.event === 'start')).toHaveLength(2);
    expect(log.filter((line) => line.event === 'end')).toHaveLength(0);
    // Each stopped its running job; one may also have skipped a job of the map it fetched
    // before the removal reached Redis (no start line: it never ran).
    for (const worker of processes) {
      expect((await worker.stats()).cancelled).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('a worker stopped with SIGTERM', () => {
  it('lets its running job finish before it exits', async () => {
    const { processes, executor, dir } = await setup(1);
    const mapped = executor.map<{ i: number }, number>('tracked', items(2, 1000, dir), {
      chunkSize: 1,
    });
    await waitFor(async () => (await readLog(dir)).length > 0, 'a job to start');
    const stats = await processes[0]!.terminate();
    expect(stats).toMatchObject({ completed: 1, requeued: 0, running: 0 });
    // The second job is still in the queue, untouched: a new worker takes it.
    const next = await startWorkerProcess({
      REDIS_URL: redis.url,
      QUEUE: executor.queue,
      THREADS: '1',
    });
    cleanups.push(() => next.kill());
    expect(await mapped).toEqual([0, 1]);
  });

  it('puts a job back in the queue when it does not finish in time; another worker runs it', async () => {
    const { processes, executor, dir, queue } = await setup(1, { DRAIN_MS: '200' });
    const mapped = executor.map<{ i: number }, number>('tracked', items(1, 1500, dir), {
      chunkSize: 1,
    });
    await waitFor(async () => (await readLog(dir)).length > 0, 'the job to start');
    const stats = await processes[0]!.terminate();
    expect(stats).toMatchObject({ completed: 0, requeued: 1, running: 0 });
    const next = await startWorkerProcess({ REDIS_URL: redis.url, QUEUE: queue, THREADS: '1' });
    cleanups.push(() => next.kill());
    expect(await mapped).toEqual([0]);
    const log = await readLog(dir);
    expect(log.filter((line) => line.event === 'start').map((line) => line.pid)).toEqual([
      processes[0]!.pid,
      next.pid,
    ]);
  });
});
