/**
 * WorkerPool timeouts, broadcast, setup and recycling, with real workers, for both runtimes.
 * Time limits here are short but only ever bound a loop that never ends by itself; no
 * assertion depends on how fast the machine is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '@fanout/test-kit';
import { built, fixture } from './built.js';

const { WorkerPool, WorkerCrashedError, TimeoutError, ExecutorClosedError } = built;

type Pool = InstanceType<typeof WorkerPool>;
const pools: Pool[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close({ cancelPending: true })));
});

describe.each(['thread', 'process'] as const)('WorkerPool features (%s runtime)', (runtime) => {
  function pool(options: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}): Pool {
    const created = new WorkerPool({
      module: fixture('tasks.mjs'),
      maxThreads: 1,
      minThreads: 0,
      runtime,
      ...options,
    });
    pools.push(created);
    return created;
  }

  it('a running-task timeout ends a busy loop: TimeoutError, and a fresh worker takes over', async () => {
    const workers = pool({ minThreads: 1 });
    const before = await workers.run<string>('whichWorker');
    const error = await workers.run('spin', [], { timeout: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({
      code: 'FANOUT_TIMEOUT',
      taskName: 'spin',
      timeoutMs: 150,
      from: 'start',
    });
    expect(workers.threads).toBe(1); // the replacement, started at once for minThreads
    const after = await workers.run<string>('whichWorker');
    expect(after).not.toBe(before);
    expect(workers.stats).toMatchObject({ running: 0, queued: 0, completed: 2, failed: 1 });
  });

  it('the pool timeout applies to every task and map chunk; a task may opt out', async () => {
    const workers = pool({ timeout: 150, maxThreads: 2 });
    await expect(workers.run('spin')).rejects.toBeInstanceOf(TimeoutError);
    await expect(workers.map('spin', [1, 2], { chunkSize: 1 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    expect(
      await workers.run<string>('echoLater', ['slow but allowed', 300], { timeout: Infinity }),
    ).toBe('slow but allowed');
    // Time waiting in the queue does not count, only running time: `add` waits 1.5 s behind
    // a task that never ends, then runs (at once) within its 1 s limit.
    const controller = new AbortController();
    const blocker = workers.run('never', [], { signal: controller.signal, timeout: Infinity });
    const blocker2 = workers.run('never', [], { signal: controller.signal, timeout: Infinity });
    const queued = workers.run<number>('add', [2, 3], { timeout: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    controller.abort(new Error('unblock'));
    await expect(Promise.all([blocker, blocker2])).rejects.toThrow('unblock');
    expect(await queued).toBe(5);
  });

  it('broadcast reaches every worker, starting them up to maxThreads, and returns each result', async () => {
    // Idle workers above minThreads would retire at once (idleTimeout 0): keep them a while.
    const workers = pool({ maxThreads: 3, idleTimeout: 60_000 });
    expect(workers.threads).toBe(0);
    const ids = await workers.broadcast<string>('setState', ['shared']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(workers.threads).toBe(3);
    // Every worker now has the state: run enough tasks to land on each.
    const states = await workers.map<number, string>('getState', [1, 2, 3, 4, 5, 6], {
      chunkSize: 1,
    });
    expect(new Set(states)).toEqual(new Set(['shared']));
  });

  it('broadcast waits for a busy worker to finish its task, and fails with the first error', async () => {
    const workers = pool({ maxThreads: 2, minThreads: 2 });
    const busy = workers.run<string>('echoLater', ['busy', 200]);
    const ids = await workers.broadcast<string>('whichWorker');
    expect(new Set(ids).size).toBe(2);
    expect(await busy).toBe('busy');
    const error = await workers.broadcast('failValidation', ['age']).catch((e: unknown) => e);
    expect((error as Error).name).toBe('ValidationError');
    const crash = await workers.broadcast('exitWorker').catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(WorkerCrashedError);
    expect(await workers.run<number>('add', [1, 1])).toBe(2);
  });

  it('broadcast can time out and be aborted; after close it is refused', async () => {
    const workers = pool({ maxThreads: 2 });
    await expect(workers.broadcast('spin', [], { timeout: 150 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    const controller = new AbortController();
    const aborted = workers.broadcast('never', [], { signal: controller.signal });
    const reason = new Error('stop broadcasting');
    setTimeout(() => controller.abort(reason), 50);
    await expect(aborted).rejects.toBe(reason);
    expect(await workers.broadcast<string>('getState')).toEqual(['unset', 'unset']);
    await workers.close();
    await expect(workers.broadcast('getState')).rejects.toBeInstanceOf(ExecutorClosedError);
  });

  it('setup runs on every worker as it starts, replacements included', async () => {
    const workers = pool({ maxThreads: 2, setup: { exportName: 'setupWorker', args: ['v1'] } });
    expect(await workers.broadcast<string>('getState')).toEqual(['setup:v1', 'setup:v1']);
    await expect(workers.run('spin', [], { timeout: 150 })).rejects.toBeInstanceOf(TimeoutError);
    await expect(workers.run('exitWorker')).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(await workers.broadcast<string>('getState')).toEqual(['setup:v1', 'setup:v1']);
    expect(await workers.broadcast<number>('setupCount')).toEqual([1, 1]);
  });

  it('a setup that throws fails the waiting tasks with WorkerCrashedError instead of hanging', async () => {
    const workers = pool({ maxThreads: 2, setup: { exportName: 'failSetup' } });
    const outcomes = await Promise.allSettled([
      workers.run('add', [1, 2]),
      workers.run('add', [3, 4]),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as InstanceType<
        typeof WorkerCrashedError
      >;
      expect(reason).toBeInstanceOf(WorkerCrashedError);
      expect(reason.exportName).toBe('failSetup');
      expect((reason.cause as Error).message).toBe('setup refused');
    }
    // It keeps failing the same way, and never leaves a task pending.
    await expect(workers.run('add', [5, 6])).rejects.toBeInstanceOf(WorkerCrashedError);
  });

  it('starts workers with execArgv, and fails tasks (no hang) when a worker cannot start', async () => {
    const flagged = pool({ execArgv: ['--no-warnings'] });
    expect(await flagged.run<string[]>('flags')).toEqual(['--no-warnings']);
    const broken = pool({ execArgv: ['--definitely-not-a-node-flag'] });
    const error = await broken.run('add', [1, 2]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(await broken.run('add', [1, 2]).catch((e: unknown) => e)).toBeInstanceOf(
      WorkerCrashedError,
    );
    expect(() => pool({ execArgv: '--no-warnings' as unknown as string[] })).toThrow(TypeError);
  });

  it('recycles a worker after recycleAfterTasks tasks', async () => {
    const workers = pool({ recycleAfterTasks: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await workers.run<string>('whichWorker'));
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).toBe(ids[3]);
    expect(ids[4]).toBe(ids[5]);
    expect(new Set(ids).size).toBe(3);
    expect(workers.stats.failed).toBe(0);
  });

  it('recycles a worker whose heap grew above recycleAboveHeapMb', async () => {
    const workers = pool({ recycleAboveHeapMb: 48 });
    const first = await workers.run<string>('whichWorker');
    // 16 MB more per call and kept: the heap passes 48 MB within a few calls.
    const counts: number[] = [];
    let recycled = false;
    for (let i = 0; i < 8 && !recycled; i++) {
      counts.push(await workers.run<number>('keepMegabytes', [16]));
      recycled = (await workers.run<string>('whichWorker')) !== first;
    }
    expect(recycled).toBe(true);
    // The fresh worker starts from an empty store.
    expect(await workers.run<number>('keepMegabytes', [1])).toBe(1);
    expect(counts.length).toBeGreaterThan(1);
  });
});

describe('WorkerPool under faults', () => {
  it('a worker process killed with SIGKILL from outside fails its task; the pool replaces it', async () => {
    const workers = new WorkerPool({
      module: fixture('tasks.mjs'),
      runtime: 'process',
      maxThreads: 1,
      minThreads: 1,
    });
    pools.push(workers);
    const pid = Number((await workers.run<string>('whichWorker')).split(':')[0]);
    const long = workers.run('echoLater', ['never seen', 60_000]).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.kill(pid, 'SIGKILL');
    const error = await long;
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(((error as Error).cause as Error).message).toBe('worker process was killed by SIGKILL');
    expect(Number((await workers.run<string>('whichWorker')).split(':')[0])).not.toBe(pid);
  });

  // One test per runtime and seed: each is bounded on its own (a storm of crashes starts
  // many workers, slow on a loaded machine), and a failure names its seed.
  it.each(
    (['thread', 'process'] as const).flatMap((runtime) =>
      [11, 12, 13, 14, 15, 16].map((seed) => ({ runtime, seed })),
    ),
  )(
    'a random storm of ok, throwing, crashing, spinning and aborted tasks and broadcasts all settle as expected ($runtime, seed $seed)',
    async ({ runtime, seed }) => {
      const random = seededRandom(seed);
      const workers = new WorkerPool({
        module: fixture('tasks.mjs'),
        runtime,
        maxThreads: 2,
        minThreads: 1,
        recycleAfterTasks: 3,
      });
      pools.push(workers);
      const kinds = ['ok', 'ok', 'ok', 'throw', 'crash', 'spin', 'abort', 'broadcast'] as const;
      const runs = Array.from({ length: 24 }, (_, i) => {
        const kind = kinds[Math.floor(random() * kinds.length)] as (typeof kinds)[number];
        const controller = new AbortController();
        const promise =
          kind === 'ok'
            ? workers.run('add', [i, 1])
            : kind === 'throw'
              ? workers.run('failOn13', [13])
              : kind === 'crash'
                ? workers.run('exitWorker')
                : kind === 'spin'
                  ? workers.run('spin', [], { timeout: 100 })
                  : kind === 'broadcast'
                    ? workers.broadcast('whichWorker')
                    : workers.run('never', [], { signal: controller.signal });
        if (kind === 'abort')
          setTimeout(() => controller.abort(new Error(`abort ${i}`)), random() * 50);
        return {
          kind,
          i,
          outcome: promise.then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          ),
        };
      });
      for (const { kind, i, outcome } of runs) {
        const result = (await outcome) as { value?: unknown; error?: unknown };
        const what = `seed ${seed} task ${i} (${kind})`;
        if (kind === 'ok') expect(result.value, what).toBe(i + 1);
        if (kind === 'throw') expect(result.error, what).toBeInstanceOf(RangeError);
        if (kind === 'crash') expect(result.error, what).toBeInstanceOf(WorkerCrashedError);
        if (kind === 'spin') expect(result.error, what).toBeInstanceOf(TimeoutError);
        if (kind === 'abort') expect((result.error as Error).message, what).toBe(`abort ${i}`);
        if (kind === 'broadcast') {
          // On threads the barrier waits for replacements of the threads that end
          // meanwhile; a process that ends fails the broadcast call it was to run.
          if (runtime === 'process' && result.error !== undefined) {
            expect(result.error, what).toBeInstanceOf(WorkerCrashedError);
          } else {
            expect(new Set(result.value as string[]).size, what).toBe(2);
          }
        }
      }
      expect(workers.stats).toMatchObject({ queued: 0, running: 0 });
      expect(await workers.run<number>('add', [2, 2])).toBe(4);
      await workers.close();
      expect(workers.threads).toBe(0);
    },
  );
});
