import { describe, expect, it } from 'vitest';
import { deferred, flush } from '@fanout/test-kit';
import { gather } from './gather.js';

describe('gather', () => {
  it('resolves with results in input order from promises, functions and plain values', async () => {
    const later = deferred<number>();
    const result = gather<number>([later.promise, () => 2, async () => 3]);
    later.resolve(1);
    expect(await result).toEqual([1, 2, 3]);
    expect(await gather([])).toEqual([]);
  });

  it('fails fast with the first error and aborts the other tasks with it as reason', async () => {
    const failure = new Error('first failure');
    const gate = deferred();
    const reasons: unknown[] = [];
    const waiter = (signal: AbortSignal): Promise<number> =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          reasons.push(signal.reason);
          reject(signal.reason);
        });
      });
    const result = gather<number>([
      waiter,
      async () => {
        await gate.promise;
        throw failure;
      },
      waiter,
    ]);
    gate.resolve();
    await expect(result).rejects.toBe(failure);
    expect(reasons).toEqual([failure, failure]);
  });

  it('does not start function tasks after a synchronous failure', async () => {
    const failure = new Error('sync failure');
    let laterCalled = false;
    const result = gather([
      () => {
        throw failure;
      },
      () => {
        laterCalled = true;
      },
    ]);
    await expect(result).rejects.toBe(failure);
    expect(laterCalled).toBe(false);
  });

  it('settle: true waits for every task and reports each outcome', async () => {
    const failure = new Error('one failed');
    const gate = deferred<string>();
    const result = gather<string>(
      [
        () => gate.promise,
        () => {
          throw failure;
        },
        Promise.resolve('c'),
      ],
      { settle: true },
    );
    let done = false;
    void result.then(() => {
      done = true;
    });
    await flush();
    expect(done).toBe(false);
    gate.resolve('a');
    expect(await result).toEqual([
      { status: 'fulfilled', value: 'a' },
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: 'c' },
    ]);
  });

  it('the caller signal rejects the gather with its reason and aborts the tasks', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    let taskSignal: AbortSignal | undefined;
    const result = gather(
      [
        (signal: AbortSignal) => {
          taskSignal = signal;
          return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        },
      ],
      { settle: true, signal: controller.signal },
    );
    controller.abort(reason);
    await expect(result).rejects.toBe(reason);
    expect(taskSignal?.aborted).toBe(true);
    expect(taskSignal?.reason).toBe(reason);
    await expect(gather([() => 1], { signal: controller.signal })).rejects.toBe(reason);
  });

  it('handles rejections of promises given after a failure (no unhandled rejection)', async () => {
    const first = new Error('first');
    const late = deferred<number>();
    const result = gather<number>([Promise.reject(first), late.promise]);
    await expect(result).rejects.toBe(first);
    late.reject(new Error('late'));
    await flush();
  });

  it('lets many tasks listen to the shared signal without a listener-leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const tasks = Array.from({ length: 50 }, () => (signal: AbortSignal) => {
        signal.addEventListener('abort', () => {});
        return 1;
      });
      expect(await gather(tasks)).toHaveLength(50);
      await flush();
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
