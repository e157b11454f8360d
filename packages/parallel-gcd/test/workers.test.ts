import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as esm from '../dist/index.js';
import { seededUint32 } from '@fanout/test-kit';
import { isGcd, randomBig } from '../src/algorithms/test-support.js';

const require = createRequire(import.meta.url);
const cjs = require('../dist/index.cjs') as typeof esm;

type Pair = esm.GcdPair;

const CHAPTER_GCDS = [1, 1, 5, 1, 32, 1, 14, 9, 1, 9];

function randomPairs(count: number): Pair[] {
  const next = seededUint32(2026);
  return Array.from({ length: count }, (_, i): Pair => {
    if (i % 3 === 0) {
      const common = randomBig(next, 40);
      return [randomBig(next, 300, true) * common, randomBig(next, 200, true) * common];
    }
    return [next() % 1_000_000, -(next() % 1_000_000)];
  });
}

describe.each([
  ['ESM build', esm, true],
  ['CJS build', cjs, true],
  ['ESM build', esm, false],
  ['CJS build', cjs, false],
])('runWorkers from the %s, callerRuns %s', (_, lib, callerRuns) => {
  it('computes the seed pairs on worker threads, in input order', async () => {
    const run = await lib.runWorkers(lib.chapterPairs(3), { workers: 2, callerRuns });
    expect(run.results).toEqual([...CHAPTER_GCDS, ...CHAPTER_GCDS, ...CHAPTER_GCDS]);
    expect(run).toMatchObject({ mode: 'workers', algorithm: 'naive', parallelism: 2 });
    expect(run.workerThreads).toBe(callerRuns ? 1 : 2);
    // The caller claims the first chunk before any thread can have started.
    if (callerRuns) expect(run.callerPairs).toBeGreaterThan(0);
    else expect(run.callerPairs).toBe(0);
    expect(run.chunks).toBeGreaterThan(1);
    expect(run.seconds).toBeGreaterThan(0);
  });

  it.each(['euclid', 'binary'] as const)(
    'gives results identical to the serial run with %s, bigints included',
    async (algorithm) => {
      const pairs = randomPairs(600);
      const workers = await lib.runWorkers(pairs, { algorithm, workers: 2, callerRuns });
      const serial = await lib.runSerial(pairs, { algorithm });
      expect(workers.results).toEqual(serial.results);
      pairs.forEach(([a, b], i) => {
        expect(isGcd(BigInt(a), BigInt(b), BigInt(workers.results[i]!))).toBe(true);
      });
      expect(typeof workers.results[0]).toBe('bigint');
      expect(typeof workers.results[1]).toBe('number');
    },
  );
});

describe('runWorkers', () => {
  it('reports progress up to the last pair', async () => {
    const seen: esm.GcdProgress[] = [];
    await esm.runWorkers(esm.chapterPairs(2), { workers: 2, onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({ mode: 'workers', done: 20, total: 20 });
  });

  it.each([true, false])(
    'stops when its signal aborts, rejecting with the reason (callerRuns %s)',
    async (callerRuns) => {
      const controller = new AbortController();
      const reason = new Error('interrupted');
      // The first progress report comes after the first pairs; hundreds remain.
      const running = esm.runWorkers(esm.chapterPairs(20), {
        workers: 2,
        callerRuns,
        signal: controller.signal,
        onProgress: () => controller.abort(reason),
      });
      await expect(running).rejects.toBe(reason);
    },
  );

  it('lets the caller compute everything when the threads cannot start in time', async () => {
    // Microseconds of work: every chunk is taken before a thread has booted, so the
    // thread's lane is cancelled instead of waited for.
    const run = await esm.runWorkers(esm.chapterPairs(1), { algorithm: 'euclid', workers: 2 });
    expect(run.results).toEqual(CHAPTER_GCDS);
    expect(run).toMatchObject({ parallelism: 2, workerThreads: 1, callerPairs: 10 });
  });

  it('runs on one worker thread, the caller idle, with workers: 1', async () => {
    const run = await esm.runWorkers(esm.chapterPairs(1), { workers: 1 });
    expect(run.results).toEqual(CHAPTER_GCDS);
    expect(run).toMatchObject({ parallelism: 1, workerThreads: 1, callerPairs: 0 });
  });

  it('refuses a too large naive pair before starting any thread, keeping the error class', async () => {
    const pairs: Pair[] = [
      [3, 4],
      [2n ** 64n, 2n ** 65n],
    ];
    const error = await esm.runWorkers(pairs, { workers: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(esm.NaiveTooLargeError);
    expect(error).toMatchObject({ index: 1 });
    expect((error as Error).message).toContain('--algorithm euclid');
  });

  it('refuses a worker count that is not a positive integer', async () => {
    await expect(esm.runWorkers([[1, 2]], { workers: 0 })).rejects.toThrow(
      /workers must be a positive integer, got 0/,
    );
  });

  it('returns at once for no pairs', async () => {
    expect(await esm.runWorkers([], { workers: 2 })).toMatchObject({ results: [], chunks: 0 });
  });
});

describe('runWorkers over a stream', () => {
  /** The pairs as a stream in batches of `size`; counts the pairs pulled. */
  function streamOf(pairs: readonly Pair[], size: number) {
    const state = { pulled: 0, closed: false };
    const stream: esm.PairStream = {
      async *[Symbol.asyncIterator]() {
        try {
          for (let at = 0; at < pairs.length; at += size) {
            state.pulled += Math.min(size, pairs.length - at);
            yield pairs.slice(at, at + size);
          }
        } finally {
          state.closed = true;
        }
      },
    };
    return { stream, state };
  }

  it.each([true, false])(
    'plans window by window and gives the serial results (callerRuns %s)',
    async (callerRuns) => {
      // More than two windows of 65,536 pairs, so results cross window boundaries.
      const next = seededUint32(31);
      const pairs: Pair[] = Array.from({ length: 150_000 }, (_, i) =>
        i % 1000 === 0
          ? [randomBig(next, 200) * 12n, randomBig(next, 180) * 18n]
          : [next() % 1_000_000, next() % 1_000_000],
      );
      const { stream, state } = streamOf(pairs, 4096);
      const run = await esm.runWorkers(stream, { algorithm: 'euclid', workers: 2, callerRuns });
      expect(run.results).toEqual((await esm.runSerial(pairs, { algorithm: 'euclid' })).results);
      expect(run).toMatchObject({ parallelism: 2, callerRuns, workerThreads: callerRuns ? 1 : 2 });
      expect(run.chunks).toBeGreaterThan(3);
      expect(state.closed).toBe(true);
    },
  );

  it('holds at most one window of an endless stream', async () => {
    const controller = new AbortController();
    const reason = new Error('enough');
    let pulled = 0;
    let computed = 0;
    const endless: esm.PairStream = {
      async *[Symbol.asyncIterator]() {
        for (let i = 0; ; i++) {
          pulled += 1000;
          yield Array.from({ length: 1000 }, (_, k): Pair => [i * 1000 + k + 1, 6]);
        }
      },
    };
    const running = esm.runWorkers(endless, {
      algorithm: 'euclid',
      workers: 2,
      signal: controller.signal,
      onProgress: (p) => {
        computed = p.done;
        if (p.done >= 200_000) controller.abort(reason);
      },
    });
    await expect(running).rejects.toBe(reason);
    // The window being computed (65,536 pairs) and the batch that filled it.
    expect(pulled - computed).toBeLessThanOrEqual(65_536 + 1000);
  });

  it('starts no thread for an empty stream', async () => {
    const { stream } = streamOf([], 10);
    expect(await esm.runWorkers(stream, { workers: 2 })).toMatchObject({ results: [], chunks: 0 });
  });
});

describe('runWorkers on huge pairs', () => {
  it.each([
    ['the calling thread', { workers: 2 }],
    ['a worker thread', { workers: 1 }],
  ] as const)('stops on abort while %s computes one', async (_, split) => {
    const next = seededUint32(44);
    // Two pairs of 500,000 bits: a minute or more of Stein's algorithm each.
    const pairs: Pair[] = [
      [randomBig(next, 500_000), randomBig(next, 500_000)],
      [randomBig(next, 500_000), randomBig(next, 500_000)],
    ];
    const controller = new AbortController();
    const reason = new Error('stop');
    const running = esm.runWorkers(pairs, {
      algorithm: 'binary',
      signal: controller.signal,
      ...split,
    });
    // Aborted after several turns of the event loop: with the caller computing, these only
    // come because it computes in slices; a worker thread is terminated.
    const abortAfter = (left: number): void => {
      if (left === 0) controller.abort(reason);
      else setTimeout(() => abortAfter(left - 1), 10);
    };
    abortAfter(10);
    await expect(running).rejects.toBe(reason);
  });
});

describe('runAll', () => {
  it('runs serial, async and workers, checks they agree and reports the speedup', async () => {
    const report = await esm.runAll(esm.chapterPairs(2), { workers: 2, concurrency: 2 });
    expect(report.results).toEqual([...CHAPTER_GCDS, ...CHAPTER_GCDS]);
    expect(report).toMatchObject({ pairs: 20, workers: 2, concurrency: 2, algorithm: 'naive' });
    expect(report.speedup).toBeCloseTo(report.serialSeconds! / report.workersSeconds!);
    const json = esm.reportToJson(report);
    expect(json.results).toEqual(report.results);
    expect(Object.keys(json).slice(0, 7)).toEqual([
      'pairs',
      'results',
      'serialSeconds',
      'asyncSeconds',
      'workersSeconds',
      'workers',
      'speedup',
    ]);
  });
});

describe('exports map', () => {
  it('resolves the main entry and the worker entry in both formats', async () => {
    const worker = await import('@fanout/parallel-gcd/worker');
    expect(
      worker.gcdChunk(
        [
          [12, 18],
          [2n ** 70n, 2n ** 65n * 3n],
        ],
        'binary',
      ),
    ).toEqual([6, 2n ** 65n]);
    expect(typeof worker.gcdLane).toBe('function');
    const workerCjs = require('@fanout/parallel-gcd/worker') as typeof worker;
    expect(typeof workerCjs.gcdLane).toBe('function');
    expect(workerCjs.gcdChunk([[12, 18]], 'naive')).toEqual([6]);
    expect(require.resolve('@fanout/parallel-gcd')).toMatch(/dist[\\/]index\.cjs$/);
    const main = await import('@fanout/parallel-gcd');
    expect(main.gcdEuclid(12, 18)).toBe(6);
  });
});
