/**
 * WorkerPool's lifecycle guarantees under load, for both runtimes: recycling never loses or
 * fails a task, broadcast reaches every worker exactly once (also while other work runs, and
 * while workers are recycled), a setup that fails on some workers only never fails a task,
 * and the running-time limit does not count the setup. No assertion depends on speed: the
 * waits here only bound what would otherwise be a hang.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type TempDir, tempDir } from '@fanout/test-kit';
import { built, fixture } from './built.js';

const { WorkerPool, WorkerCrashedError } = built;

type Pool = InstanceType<typeof WorkerPool>;
type Options = ConstructorParameters<typeof WorkerPool>[0];
const pools: Pool[] = [];
const dirs: TempDir[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close({ cancelPending: true })));
  await Promise.all(dirs.splice(0).map((d) => d.cleanup()));
});

/** How many times each worker appears. */
function perWorker(workers: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const worker of workers) counts.set(worker, (counts.get(worker) ?? 0) + 1);
  return counts;
}

/** `worker#n` strings → n per worker, in the order given. */
function broadcastNumbers(rounds: readonly (readonly string[])[]): Map<string, number[]> {
  const numbers = new Map<string, number[]>();
  for (const round of rounds) {
    for (const entry of round) {
      const [worker, n] = entry.split('#') as [string, string];
      numbers.set(worker, [...(numbers.get(worker) ?? []), Number(n)]);
    }
  }
  return numbers;
}

describe.each(['thread', 'process'] as const)('WorkerPool under load (%s runtime)', (runtime) => {
  function pool(options: Partial<Options> = {}): Pool {
    const created = new WorkerPool({
      module: fixture('tasks.mjs'),
      minThreads: 0,
      runtime,
      ...options,
    });
    pools.push(created);
    return created;
  }

  it('recycling after N tasks never loses or fails one: 150 runs and a chunked map at once', async () => {
    const workers = pool({ maxThreads: 3, recycleAfterTasks: 5 });
    const runs = Array.from({ length: 150 }, (_, i) =>
      workers.run<{ i: number; worker: string }>('tagged', [i]),
    );
    const items = Array.from({ length: 600 }, (_, i) => i);
    const mapped = workers.map<number, number>('square', items, { chunkSize: 20 });
    const results = await Promise.all(runs);
    expect(results.map((r) => r.i)).toEqual(runs.map((_, i) => i));
    expect(await mapped).toEqual(items.map((i) => i * i));
    const counts = perWorker(results.map((r) => r.worker));
    // 150 runs at most 5 per worker (the map's 30 chunks shared the same workers).
    expect(counts.size).toBeGreaterThanOrEqual(30);
    for (const [worker, count] of counts) expect(count, worker).toBeLessThanOrEqual(5);
    expect(workers.stats).toMatchObject({ completed: 180, failed: 0, queued: 0, running: 0 });
  });

  it('recycling above a heap size never loses a task, and no worker runs past the limit', async () => {
    const workers = pool({ maxThreads: 2, recycleAboveHeapMb: 40 });
    // Each call keeps 4 MiB more on its worker and returns how many it keeps.
    const kept = await Promise.all(
      Array.from({ length: 40 }, () => workers.run<number>('keepMegabytes', [4])),
    );
    expect(kept).toHaveLength(40);
    // A worker that ran k calls holds at least 4(k − 1) MiB after the one before: past
    // 40 MiB (k − 1 = 10) it would have been retired, so no call sees k above 10.
    expect(Math.max(...kept)).toBeLessThanOrEqual(10);
    expect(kept.filter((k) => k === 1).length).toBeGreaterThanOrEqual(2);
    expect(workers.stats.failed).toBe(0);
  });

  it('broadcast reaches every worker exactly once, while tasks run, one after another', async () => {
    const workers = pool({ maxThreads: 3, idleTimeout: 60_000 });
    const background = workers.map<number, string>('echoLater', [1, 2, 3, 4, 5, 6, 7, 8], {
      chunkSize: 1,
    });
    const rounds: string[][] = [];
    for (let round = 0; round < 3; round++) rounds.push(await workers.broadcast('countBroadcast'));
    // Several at once: they run one after another, never gathering at the same time.
    rounds.push(
      ...(await Promise.all([
        workers.broadcast<string>('countBroadcast'),
        workers.broadcast<string>('countBroadcast'),
        workers.broadcast<string>('countBroadcast'),
      ])),
    );
    await background;
    for (const round of rounds) {
      expect(round).toHaveLength(3);
      expect(new Set(round.map((entry) => entry.split('#')[0])).size).toBe(3);
    }
    // No worker was replaced, so each saw calls 1..6, in order, none twice, none missed.
    const numbers = broadcastNumbers(rounds);
    expect(numbers.size).toBe(3);
    for (const [worker, seen] of numbers) expect(seen, worker).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('broadcast reaches each worker once while recycling replaces workers under load', async () => {
    const workers = pool({ maxThreads: 3, recycleAfterTasks: 2 });
    const load = Array.from({ length: 60 }, (_, i) => workers.run<number>('add', [i, 1]));
    const rounds: string[][] = [];
    for (let round = 0; round < 6; round++) {
      rounds.push(await workers.broadcast<string>('countBroadcast'));
    }
    expect(await Promise.all(load)).toEqual(load.map((_, i) => i + 1));
    for (const round of rounds) {
      expect(round).toHaveLength(3);
      expect(new Set(round.map((entry) => entry.split('#')[0])).size).toBe(3);
    }
    // A broadcast call counts as a task: a worker runs at most two of them.
    for (const [worker, seen] of broadcastNumbers(rounds)) {
      expect(seen.length, worker).toBeLessThanOrEqual(2);
    }
    expect(workers.stats.failed).toBe(0);
  });

  it('a setup that fails on all workers but the first never fails a task: they run on that one', async () => {
    const dir = await tempDir('setup-first');
    dirs.push(dir);
    const lock = join(dir.dir, 'first');
    // The first worker must stay (no other can ever set up): no idle retirement here.
    const workers = pool({
      maxThreads: 3,
      idleTimeout: 60_000,
      setup: { exportName: 'setupFirstOnly', args: [lock] },
    });
    const ran = await Promise.all(
      Array.from({ length: 30 }, () => workers.run<string>('whichWorker')),
    );
    expect(new Set(ran).size).toBe(1);
    expect(workers.stats).toMatchObject({ completed: 30, failed: 0 });
  });

  it('the running-time limit starts when the task runs: a slow setup does not count', async () => {
    const workers = pool({
      maxThreads: 2,
      timeout: 200,
      setup: { exportName: 'slowSetup', args: [400] },
    });
    expect(await workers.map<number, number>('square', [1, 2, 3], { chunkSize: 1 })).toEqual([
      1, 4, 9,
    ]);
  });
});

describe('broadcast on piscina threads', () => {
  function pool(options: Partial<Options> = {}): Pool {
    const created = new WorkerPool({ module: fixture('tasks.mjs'), minThreads: 0, ...options });
    pools.push(created);
    return created;
  }

  it('every thread runs each broadcast exactly once: counted in shared memory over many rounds', async () => {
    const workers = pool({ maxThreads: 4, idleTimeout: 60_000 });
    const shared = new SharedArrayBuffer(4);
    const total = new Int32Array(shared);
    const background = workers.map<number, number>(
      'square',
      Array.from({ length: 400 }, (_, i) => i),
      {
        chunkSize: 4,
      },
    );
    const rounds: string[][] = [];
    for (let round = 0; round < 10; round++) {
      const done = Atomics.load(total, 0);
      const results = await workers.broadcast<string>('countBroadcast', [shared]);
      // All four calls ran, and only they, by the time it resolved.
      expect(Atomics.load(total, 0) - done).toBe(4);
      rounds.push(results);
    }
    await background;
    expect(Atomics.load(total, 0)).toBe(40);
    const numbers = broadcastNumbers(rounds);
    expect(numbers.size).toBe(4);
    for (const [thread, seen] of numbers) {
      expect(seen, thread).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
  });

  it('a thread that dies while a broadcast gathers is replaced for it, though minThreads is 0', async () => {
    const workers = pool({ maxThreads: 2, idleTimeout: 60_000 });
    // One thread dies while busy; piscina keeps only minThreads (0), so the broadcast must
    // get a new thread started for the slot that waits.
    const dying = workers.run('exitLater', [150]).catch((e: unknown) => e);
    const ids = await workers.broadcast<string>('whichWorker');
    expect(await dying).toBeInstanceOf(WorkerCrashedError);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('tasks queued behind a broadcast still run when every thread retires after it (minThreads 0)', async () => {
    // Each thread retires after one task, so the broadcast's calls end both threads, and
    // the tasks that reached piscina's queue behind its barriers find no thread: piscina
    // itself would start none (it keeps minThreads, 0) until some later run().
    const workers = pool({ maxThreads: 2, recycleAfterTasks: 1 });
    const first = [
      workers.run<string>('echoLater', ['a', 100]),
      workers.run<string>('echoLater', ['b', 100]),
    ];
    const behind = [workers.run<number>('add', [1, 1]), workers.run<number>('add', [2, 1])];
    const ids = await workers.broadcast<string>('whichWorker');
    expect(new Set(ids).size).toBe(2);
    expect(await Promise.all(first)).toEqual(['a', 'b']);
    expect(await Promise.all(behind)).toEqual([2, 3]);
    expect(workers.stats).toMatchObject({ completed: 4, failed: 0, queued: 0, running: 0 });
  });

  it('aborting a broadcast that gathers releases the waiting threads instead of ending them', async () => {
    const workers = pool({ maxThreads: 2, minThreads: 2, idleTimeout: 60_000 });
    const before = new Set(await workers.broadcast<string>('whichWorker'));
    const busy = workers.run<string>('echoLater', ['busy', 400]);
    const controller = new AbortController();
    const reason = new Error('never mind');
    const gathering = workers.broadcast('whichWorker', [], { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(reason);
    await expect(gathering).rejects.toBe(reason);
    expect(await busy).toBe('busy');
    // The same two threads: the one that waited at the barrier was not ended.
    expect(new Set(await workers.broadcast<string>('whichWorker'))).toEqual(before);
    expect(workers.threads).toBe(2);
  });
});
