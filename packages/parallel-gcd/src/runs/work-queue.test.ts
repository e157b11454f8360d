import { describe, expect, it } from 'vitest';
import type { GcdPair } from '../types.js';
import {
  addWorkerDone,
  allClaimed,
  cancelLane,
  claimChunk,
  createWorkQueue,
  lanesSettledIn,
  startLane,
  stopQueue,
  workerDone,
} from './work-queue.js';
import { gcdLane } from '../worker.js';

describe('the shared work queue', () => {
  it('hands out every chunk index exactly once, then -1', () => {
    const queue = createWorkQueue(1);
    expect(queue.buffer).toBeInstanceOf(SharedArrayBuffer);
    const claimed = [claimChunk(queue, 3), claimChunk(queue, 3)];
    expect(allClaimed(queue, 3)).toBe(false);
    claimed.push(claimChunk(queue, 3));
    expect(claimed).toEqual([0, 1, 2]);
    expect(allClaimed(queue, 3)).toBe(true);
    expect(claimChunk(queue, 3)).toBe(-1);
    expect(claimChunk(queue, 3)).toBe(-1);
  });

  it('hands out nothing more once stopped', () => {
    const queue = createWorkQueue(0);
    expect(claimChunk(queue, 5)).toBe(0);
    stopQueue(queue);
    expect(claimChunk(queue, 5)).toBe(-1);
  });

  it('lets exactly one of start and cancel win for each lane', () => {
    const queue = createWorkQueue(2);
    expect(lanesSettledIn(queue, 2)).toBe(false);
    expect(startLane(queue, 0)).toBe(true);
    expect(cancelLane(queue, 0)).toBe(false);
    expect(lanesSettledIn(queue, 2)).toBe(false);
    expect(cancelLane(queue, 1)).toBe(true);
    expect(startLane(queue, 1)).toBe(false);
    expect(lanesSettledIn(queue, 2)).toBe(true);
  });

  it('sums the pairs the worker lanes finished', () => {
    const queue = createWorkQueue(2);
    addWorkerDone(queue, 3);
    addWorkerDone(queue, 4);
    expect(workerDone(queue)).toBe(7);
  });
});

describe('gcdLane', () => {
  const chunks: GcdPair[][] = [
    [
      [12, 18],
      [7, 21],
    ],
    [[2n ** 70n, 2n ** 65n * 3n]],
    [[0, 5]],
  ];

  it('computes every chunk left in the queue, naming the chunks it took', () => {
    const queue = createWorkQueue(2);
    expect(claimChunk(queue, chunks.length)).toBe(0); // another lane took the first chunk
    expect(gcdLane(queue, 0, chunks, 'euclid')).toEqual({
      chunks: [1, 2],
      results: [[2n ** 65n], [5]],
    });
    expect(workerDone(queue)).toBe(2);
    // A lane that starts once everything is claimed returns nothing.
    expect(gcdLane(queue, 1, chunks, 'euclid')).toEqual({ chunks: [], results: [] });
  });

  it('returns nothing and claims nothing when its lane was cancelled', () => {
    const queue = createWorkQueue(1);
    expect(cancelLane(queue, 0)).toBe(true);
    expect(gcdLane(queue, 0, chunks, 'binary')).toEqual({ chunks: [], results: [] });
    expect(claimChunk(queue, chunks.length)).toBe(0);
  });

  it('stops the queue for every lane when a pair fails, and throws the error', () => {
    const queue = createWorkQueue(1);
    const bad = [[[1, 2n]]] as unknown as GcdPair[][];
    expect(() => gcdLane(queue, 0, [...bad, ...chunks], 'naive')).toThrow(
      /expected two numbers or two bigints/,
    );
    expect(claimChunk(queue, chunks.length + 1)).toBe(-1);
  });
});
