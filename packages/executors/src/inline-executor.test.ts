import { describe, expect, it } from 'vitest';
import { deferred, flush } from '@fanout/test-kit';
import { ExecutorClosedError } from './errors.js';
import { InlineExecutor } from './inline-executor.js';

describe('InlineExecutor', () => {
  it('runs one task at a time in submission order', async () => {
    const executor = new InlineExecutor();
    const log: string[] = [];
    const gate = deferred();
    const a = executor.submit(async () => {
      log.push('a start');
      await gate.promise;
      log.push('a end');
    });
    const b = executor.submit(() => log.push('b'));
    await flush();
    expect(log).toEqual(['a start']);
    expect(executor.stats).toEqual({ queued: 1, running: 1, completed: 0, failed: 0 });
    gate.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(['a start', 'a end', 'b']);
    await executor.close();
  });

  it('maps serially, rejects with the task error and after close', async () => {
    const executor = new InlineExecutor();
    expect(await executor.map((x: number) => x + 1, [1, 2, 3])).toEqual([2, 3, 4]);
    const error = new Error('boom');
    await expect(
      executor.run(() => {
        throw error;
      }),
    ).rejects.toBe(error);
    await executor.onIdle();
    await executor[Symbol.asyncDispose]();
    expect(executor.closed).toBe(true);
    await expect(executor.submit(() => 1)).rejects.toBeInstanceOf(ExecutorClosedError);
  });

  it('removes an aborted queued task and cancels the queue on close({ cancelPending })', async () => {
    const executor = new InlineExecutor();
    const gate = deferred();
    const running = executor.submit(() => gate.promise);
    const controller = new AbortController();
    const aborted = executor.run(() => 'never', { signal: controller.signal });
    const pending = executor.submit(() => 'never either');
    const reason = new Error('not needed');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    const closed = executor.close({ cancelPending: true });
    await expect(pending).rejects.toBeInstanceOf(ExecutorClosedError);
    gate.resolve();
    await running;
    await closed;
    expect(executor.stats).toEqual({ queued: 0, running: 0, completed: 1, failed: 2 });
  });
});
