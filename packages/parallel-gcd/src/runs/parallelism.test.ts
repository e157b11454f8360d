import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultParallelism, threadSplit } from './parallelism.js';

describe('threadSplit', () => {
  it('counts the calling thread as one of the threads unless told not to', () => {
    expect(threadSplit({ workers: 2 })).toEqual({ threads: 2, workerThreads: 1, callerRuns: true });
    expect(threadSplit({ workers: 4, callerRuns: false })).toEqual({
      threads: 4,
      workerThreads: 4,
      callerRuns: false,
    });
    // One thread computing is always a worker thread: the caller stays free.
    expect(threadSplit({ workers: 1 })).toEqual({
      threads: 1,
      workerThreads: 1,
      callerRuns: false,
    });
  });

  it('defaults to the core count, the one default of the package', () => {
    expect(defaultParallelism()).toBe(availableParallelism());
    expect(threadSplit().threads).toBe(defaultParallelism());
  });

  it('refuses a thread count that is not a positive integer', () => {
    for (const workers of [0, -1, 1.5, Number.NaN]) {
      expect(() => threadSplit({ workers })).toThrow(/workers must be a positive integer/);
    }
  });
});
