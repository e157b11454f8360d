import { afterAll, describe, expect, it } from 'vitest';
import { built, fixture } from './built.js';

const { offload, closeOffloadPools, WorkerCrashedError } = built;

afterAll(() => closeOffloadPools());

describe('offload', () => {
  it('runs one blocking call on a shared pool per module', async () => {
    expect(await offload<number>(fixture('tasks.mjs'), 'add', 1, 2)).toBe(3);
    const [a, b] = await Promise.all([
      offload<number>(fixture('tasks.mjs'), 'square', 4),
      offload<number>(fixture('tasks.cjs'), 'multiply', 3, 5),
    ]);
    expect([a, b]).toEqual([16, 15]);
  });

  it('rejects with the export error or WorkerCrashedError, and keeps working', async () => {
    await expect(offload(fixture('tasks.mjs'), 'failOn13', 13)).rejects.toThrow('unlucky 13');
    await expect(offload(fixture('tasks.mjs'), 'exitWorker')).rejects.toBeInstanceOf(
      WorkerCrashedError,
    );
    expect(await offload<number>(fixture('tasks.mjs'), 'add', 2, 2)).toBe(4);
  });

  it('creates fresh pools after closeOffloadPools()', async () => {
    await closeOffloadPools();
    expect(await offload<number>(fixture('tasks.mjs'), 'add', 5, 5)).toBe(10);
  });
});
