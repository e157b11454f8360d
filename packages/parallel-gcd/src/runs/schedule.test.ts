import { describe, expect, it } from 'vitest';
import { estimateCost, planChunks } from './schedule.js';
import { chapterPairs } from '../input/chapter.js';
import type { GcdPair } from '../types.js';

describe('planChunks', () => {
  it('covers every pair exactly once, with each chunk carrying its own pairs', () => {
    const pairs = chapterPairs(20);
    const chunks = planChunks(pairs, 'naive', 2);
    const indices = chunks.flatMap((c) => [...c.indices]).sort((a, b) => a - b);
    expect(indices).toEqual(pairs.map((_, i) => i));
    for (const chunk of chunks) {
      expect(chunk.pairs).toEqual(chunk.indices.map((i) => pairs[i]));
    }
  });

  it('sends the largest pairs first and ends with single small pairs', () => {
    const pairs = chapterPairs(20);
    const chunks = planChunks(pairs, 'naive', 2);
    const costs = chunks.flatMap((c) => c.pairs.map((p) => estimateCost(p, 'naive')));
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
    expect(chunks.length).toBeGreaterThan(8);
    expect(chunks.length).toBeLessThan(pairs.length);
    // The last chunks are single pairs, so no thread is left holding a big batch at the end.
    expect(chunks.slice(-4).map((c) => c.indices.length)).toEqual([1, 1, 1, 1]);
    // The first chunk holds at most an eighth of the work for two threads.
    const total = costs.reduce((a, b) => a + b, 0);
    const first = chunks[0]!.pairs.reduce((sum, p) => sum + estimateCost(p, 'naive'), 0);
    expect(first).toBeLessThanOrEqual(total / 8);
  });

  it('puts one huge pair alone in a chunk even if it is more than its share', () => {
    const pairs: GcdPair[] = [
      [10, 20],
      [90_000_000, 90_000_001],
      [30, 40],
    ];
    const chunks = planChunks(pairs, 'naive', 4);
    expect(chunks[0]!.indices).toEqual([1]);
    expect(chunks.flatMap((c) => [...c.indices]).sort()).toEqual([0, 1, 2]);
  });

  it('makes no chunks for no pairs', () => {
    expect(planChunks([], 'euclid', 2)).toEqual([]);
  });

  it('estimates bigint work by bit length for the fast algorithms', () => {
    expect(estimateCost([2n ** 4000n, 3n], 'euclid')).toBeGreaterThan(
      estimateCost([2n ** 100n, 3n], 'euclid'),
    );
    expect(estimateCost([-5, 7], 'naive')).toBe(6);
  });
});
