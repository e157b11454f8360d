import { describe, expect, it } from 'vitest';
import { gcdEuclid } from '../algorithms/euclid.js';
import { NaiveTooLargeError } from '../errors.js';
import { runAsync } from './async.js';
import { runSerial } from './serial.js';
import type { GcdProgress } from './types.js';
import { chapterPairs } from '../input/chapter.js';
import { GCD_ALGORITHMS, type GcdPair } from '../types.js';

const CHAPTER_GCDS = [1, 1, 5, 1, 32, 1, 14, 9, 1, 9];

const MIXED: GcdPair[] = [
  [12, 18],
  [0, 0],
  [-7, 21],
  [2n ** 80n, 2n ** 20n * 3n],
  [99991, 99991 * 4],
  [10n, 2n ** 100n],
];
const MIXED_GCDS = [6, 0, 7, 2n ** 20n, 99991, 2n];

const runners = { runSerial, runAsync } as const;

describe.each(Object.entries(runners))('%s', (name, run) => {
  it('returns the chapter gcds in input order with the elapsed time', async () => {
    const result = await run(chapterPairs(2));
    expect(result.results).toEqual([...CHAPTER_GCDS, ...CHAPTER_GCDS]);
    expect(result.algorithm).toBe('naive');
    expect(result.mode).toBe(name === 'runSerial' ? 'serial' : 'async');
    expect(result.seconds).toBeGreaterThan(0);
  });

  it.each(GCD_ALGORITHMS)(
    'gives the same results with %s, numbers and bigints mixed',
    async (algorithm) => {
      const result = await run(MIXED, { algorithm });
      expect(result.results).toEqual(MIXED_GCDS);
    },
  );

  it('handles an empty input', async () => {
    expect((await run([], { algorithm: 'euclid' })).results).toEqual([]);
  });

  it('reports progress ending with every pair done', async () => {
    const seen: GcdProgress[] = [];
    await run(chapterPairs(1), { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({ mode: expect.any(String), done: 10, total: 10 });
    const dones = seen.map((p) => p.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
  });

  it('refuses a too large naive pair at once, naming its index', async () => {
    const pairs: GcdPair[] = [...chapterPairs(1), [2 ** 40, 2 ** 41]];
    const error = await run(pairs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NaiveTooLargeError);
    expect(error).toMatchObject({ index: 10, a: 2 ** 40 });
    expect((await run(pairs, { algorithm: 'euclid' })).results[10]).toBe(2 ** 40);
  });

  it('refuses an unknown algorithm and mixed pairs before starting', async () => {
    // @ts-expect-error not an algorithm
    await expect(run([[1, 2]], { algorithm: 'fast' })).rejects.toThrow(
      /unknown gcd algorithm "fast"/,
    );
    const mixed = [[1, 2n]] as unknown as GcdPair[];
    await expect(run(mixed)).rejects.toThrow(/pair #1: expected two numbers or two bigints/);
  });

  it('rejects with the reason of an already aborted signal', async () => {
    const reason = new Error('stop');
    await expect(run(chapterPairs(1), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('stops a long run when its signal aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('interrupted');
    // The run works in ~20 ms slices and yields between them: the abort queued here lands
    // after the first slice, long before the ~1 s of work is done.
    const running = run(chapterPairs(20), { signal: controller.signal });
    setImmediate(() => controller.abort(reason));
    await expect(running).rejects.toBe(reason);
  });
});

describe('runSerial and runAsync', () => {
  it('refuses an async concurrency that is not a positive integer', async () => {
    await expect(runAsync([[1, 2]], { concurrency: 0 })).rejects.toThrow(
      'concurrency must be a positive integer, got 0',
    );
  });

  it('agree with Euclid on many pairs', async () => {
    const pairs: GcdPair[] = Array.from({ length: 2000 }, (_, i) => [i * 7919, (i % 97) * 104729]);
    const serial = await runSerial(pairs, { algorithm: 'binary' });
    const asyncRun = await runAsync(pairs, { algorithm: 'binary', concurrency: 3 });
    expect(asyncRun.results).toEqual(serial.results);
    expect(serial.results).toEqual(pairs.map(([a, b]) => gcdEuclid(a as number, b as number)));
    expect(asyncRun.parallelism).toBe(3);
  });
});
