import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { built, fixture } from './built.js';

const { WorkerPool, WorkerCrashedError, ExecutorClosedError, QueueFullError } = built;

type Pool = InstanceType<typeof WorkerPool>;
type Runtime = 'thread' | 'process';
const pools: Pool[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close({ cancelPending: true })));
});

// The same suite for both runtimes: `runtime: 'process'` must behave as threads do.
describe.each(['thread', 'process'] as const)('WorkerPool (%s runtime)', (runtime: Runtime) => {
  function pool(options: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}): Pool {
    const created = new WorkerPool({
      module: fixture('tasks.mjs'),
      maxThreads: 2,
      minThreads: 0,
      runtime,
      ...options,
    });
    pools.push(created);
    return created;
  }

  it('runs named exports of an ES module, sync and async, with run and submit', async () => {
    const workers = pool();
    expect(await workers.run<number>('add', [2, 3])).toBe(5);
    expect(await workers.submit<string>('echoLater', 'later', 5)).toBe('later');
    expect(workers.stats).toMatchObject({ queued: 0, running: 0, completed: 2, failed: 0 });
    expect(workers.threads).toBeGreaterThanOrEqual(1);
    expect(workers.utilization).toBeGreaterThanOrEqual(0);
  });

  it('runs exports of a CommonJS module', async () => {
    const workers = pool({ module: fixture('tasks.cjs') });
    expect(await workers.run<number>('multiply', [6, 7])).toBe(42);
    expect(await workers.run<string>('greet', ['pool'])).toBe('hello pool');
  });

  it('really runs off the main thread: on a worker thread, or in another process', async () => {
    const workers = pool();
    expect(workers.runtime).toBe(runtime);
    const [pid, threadId] = (await workers.run<string>('whichWorker')).split(':').map(Number);
    if (runtime === 'thread') {
      expect(pid).toBe(process.pid);
      expect(threadId).toBeGreaterThan(0);
    } else {
      expect(pid).not.toBe(process.pid);
      expect(threadId).toBe(0);
    }
  });

  it('keeps name, message, stack, cause and own props of a worker error', async () => {
    const workers = pool();
    const error = await workers.run('failValidation', ['age']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const e = error as Error & { code?: string };
    expect(e.name).toBe('ValidationError');
    expect(e.message).toBe('invalid age');
    expect(e.stack).toContain('failValidation');
    expect(e.stack).toContain('tasks.mjs');
    expect(e.code).toBe('E_VALIDATION');
    expect(e.cause).toBeInstanceOf(TypeError);
    expect((e.cause as Error).message).toBe('expected a number');
    expect(workers.stats.failed).toBe(1);
  });

  it('rebuilds built-in error types, async rejections and non-error throws', async () => {
    const workers = pool();
    await expect(workers.run('failOn13', [13])).rejects.toBeInstanceOf(RangeError);
    await expect(workers.run('rejectAsync')).rejects.toThrow('async failure');
    await expect(workers.run('throwString')).rejects.toBe('a plain string');
    await expect(workers.run('noSuchExport')).rejects.toThrow(
      /no exported function "noSuchExport"/,
    );
  });

  it('moves transferables to a thread, copies them to a process', async () => {
    const workers = pool();
    const buffer = new ArrayBuffer(64);
    const length = await workers.run<number>('byteLength', [buffer], { transferList: [buffer] });
    expect(length).toBe(64);
    expect(buffer.byteLength).toBe(runtime === 'thread' ? 0 : 64);
  });

  it('rejects a task whose arguments cannot be cloned, and keeps the worker', async () => {
    const workers = pool({ maxThreads: 1 });
    const error = await workers.run('add', [() => 1, 2]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/could not be cloned/);
    expect(await workers.run<number>('add', [1, 2])).toBe(3);
  });

  it('maps in input order with chunks, and fails fast with the item error', async () => {
    const workers = pool();
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const squares = await workers.map<number, number>('square', items);
    expect(squares).toEqual(items.map((i) => i * i));
    expect(await workers.map<number, number>('square', [1, 2, 3], { chunkSize: 2 })).toEqual([
      1, 4, 9,
    ]);
    expect(await workers.map('square', [])).toEqual([]);
    const error = await workers
      .map('failOn13', items, { chunkSize: 10 })
      .catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe('unlucky 13');
    await expect(workers.map('square', [1], { chunkSize: 0 })).rejects.toBeInstanceOf(RangeError);
  });

  it('aborts a map through its signal, and a crash inside a map rejects it', async () => {
    const workers = pool({ maxThreads: 2 });
    const controller = new AbortController();
    const mapped = workers.map('never', [1, 2, 3, 4], { chunkSize: 1, signal: controller.signal });
    const reason = new Error('map cancelled');
    controller.abort(reason);
    await expect(mapped).rejects.toBe(reason);
    await workers.onIdle();
    const crashed = workers.map('exitWorker', [1, 2], { chunkSize: 1 });
    await expect(crashed).rejects.toBeInstanceOf(WorkerCrashedError);
    await workers.onIdle();
    expect(await workers.map<number, number>('square', [3, 4])).toEqual([9, 16]);
  });

  it('replaces a worker that calls process.exit and keeps working', async () => {
    const workers = pool({ maxThreads: 1 });
    const crash = await workers.run('exitWorker').catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(WorkerCrashedError);
    expect((crash as InstanceType<typeof WorkerCrashedError>).exportName).toBe('exitWorker');
    expect((crash as Error).cause).toBeInstanceOf(Error);
    expect(await workers.run<number>('add', [1, 1])).toBe(2);
  });

  it('replaces a worker killed by an uncaught throw from a timer', async () => {
    const workers = pool({ maxThreads: 1 });
    const crash = await workers.run('throwFromTimer').catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(WorkerCrashedError);
    expect(((crash as Error).cause as Error).message).toBe('thrown from a timer');
    expect(await workers.run<number>('add', [2, 2])).toBe(4);
  });

  it('reports a result that cannot be cloned as a crash, with a hint', async () => {
    const workers = pool({ maxThreads: 1 });
    const crash = await workers.run('returnFunction').catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(WorkerCrashedError);
    expect((crash as Error).message).toContain('returnFunction()');
    expect((crash as Error).message).toContain('cloneable');
    expect(await workers.run<number>('add', [4, 4])).toBe(8);
  });

  it('replaces a worker that runs out of memory under resourceLimits', async () => {
    const workers = pool({ maxThreads: 1, resourceLimits: { maxOldGenerationSizeMb: 16 } });
    const crash = await workers.run('exhaustMemory').catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(WorkerCrashedError);
    expect(await workers.run<number>('add', [3, 3])).toBe(6);
  });

  it('aborts a queued task and a running task with signal.reason', async () => {
    const workers = pool({ maxThreads: 1 });
    const running = new AbortController();
    const queued = new AbortController();
    const first = workers.run('never', [], { signal: running.signal });
    const second = workers.run('add', [1, 2], { signal: queued.signal });
    expect(workers.stats).toMatchObject({ running: 1, queued: 1 });
    const queuedReason = new Error('queued task aborted');
    queued.abort(queuedReason);
    await expect(second).rejects.toBe(queuedReason);
    const runningReason = new Error('running task aborted');
    running.abort(runningReason);
    await expect(first).rejects.toBe(runningReason);
    const before = new Error('aborted before start');
    await expect(workers.run('add', [1, 1], { signal: AbortSignal.abort(before) })).rejects.toBe(
      before,
    );
    expect(await workers.run<number>('add', [5, 5])).toBe(10);
  });

  it('starts queued tasks by priority, then in submission order', async () => {
    const workers = pool({ maxThreads: 1 });
    const controller = new AbortController();
    const blocker = workers.run('never', [], { signal: controller.signal });
    const done: string[] = [];
    const order = [
      ['low', -1],
      ['first', 0],
      ['high', 5],
      ['second', 0],
    ] as const;
    const all = order.map(([label, priority]) =>
      workers.run<string>('echoLater', [label, 0], { priority }).then((v) => done.push(v)),
    );
    controller.abort(new Error('unblock'));
    await expect(blocker).rejects.toThrow('unblock');
    await Promise.all(all);
    expect(done).toEqual(['high', 'first', 'second', 'low']);
  });

  it('rejects past maxQueue with QueueFullError', async () => {
    const workers = pool({ maxThreads: 1, maxQueue: 1 });
    const controller = new AbortController();
    const running = workers.run('never', [], { signal: controller.signal });
    const queued = workers.run<number>('add', [1, 2]);
    await expect(workers.run('add', [1, 2])).rejects.toBeInstanceOf(QueueFullError);
    controller.abort(new Error('stop'));
    await expect(running).rejects.toThrow('stop');
    expect(await queued).toBe(3);
  });

  it('close() runs what is queued; close({ cancelPending }) rejects it; neither hangs', async () => {
    const drained = pool({ maxThreads: 1 });
    const a = drained.run<string>('echoLater', ['a', 20]);
    const b = drained.run<number>('add', [1, 2]);
    const closing = drained.close();
    expect(drained.close()).toBe(closing);
    await expect(drained.run('add', [1, 1])).rejects.toBeInstanceOf(ExecutorClosedError);
    await closing;
    expect(await a).toBe('a');
    expect(await b).toBe(3);
    expect(drained.threads).toBe(0);

    const cancelled = pool({ maxThreads: 1 });
    const running = cancelled.run<string>('echoLater', ['running', 20]);
    const pending = cancelled.run('add', [1, 2]);
    const closed = cancelled.close({ cancelPending: true });
    await expect(pending).rejects.toBeInstanceOf(ExecutorClosedError);
    await closed;
    expect(await running).toBe('running');
    await cancelled[Symbol.asyncDispose]();
  });

  it('validates its options', () => {
    const module = fixture('tasks.mjs');
    expect(() => new WorkerPool({ module, runtime, maxThreads: 0 })).toThrow(RangeError);
    expect(() => new WorkerPool({ module, runtime, maxThreads: 1, minThreads: 2 })).toThrow(
      RangeError,
    );
    expect(() => new WorkerPool({ module, runtime, timeout: 0 })).toThrow(/timeout/);
    expect(() => new WorkerPool({ module, runtime, recycleAfterTasks: 0 })).toThrow(
      /recycleAfterTasks must be a positive integer/,
    );
    expect(() => new WorkerPool({ module, runtime, recycleAboveHeapMb: -1 })).toThrow(
      /recycleAboveHeapMb/,
    );
    expect(() => new WorkerPool({ module, runtime: 'fibre' as Runtime, minThreads: 0 })).toThrow(
      /runtime must be/,
    );
  });
});

describe('WorkerPool process runtime', () => {
  it('refuses limits a process cannot honour, and runs what threads cannot (process.chdir)', async () => {
    const module = fixture('tasks.mjs');
    expect(
      () => new WorkerPool({ module, runtime: 'process', resourceLimits: { stackSizeMb: 4 } }),
    ).toThrow(/stackSizeMb cannot be applied with runtime 'process'/);
    const threads = new WorkerPool({ module, maxThreads: 1, minThreads: 0 });
    const processes = new WorkerPool({ module, runtime: 'process', maxThreads: 1, minThreads: 0 });
    pools.push(threads, processes);
    const dir = tmpdir();
    await expect(threads.run('chdirTo', [dir])).rejects.toThrow(/not supported in workers/);
    expect(await processes.run<string>('chdirTo', [dir])).toBe(realpathSync(dir));
    expect(process.cwd()).not.toBe(realpathSync(dir));
  });
});
