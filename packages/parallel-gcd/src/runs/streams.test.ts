import { deferred, seededUint32 } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { gcdOf } from '../algorithms/gcd-of.js';
import { randomBig } from '../algorithms/test-support.js';
import { NaiveTooLargeError, PairsSyntaxError } from '../errors.js';
import { chapterPairs } from '../input/chapter.js';
import { readPairs } from '../input/read-pairs.js';
import { collectPairs, type PairStream } from '../input/source.js';
import type { GcdPair } from '../types.js';
import { runAsync } from './async.js';
import { runSerial } from './serial.js';
import type { GcdProgress } from './types.js';

/** The pairs as a stream of batches of random sizes; counts what was pulled and if it was closed. */
function streamOf(pairs: readonly GcdPair[], seed: number) {
  const next = seededUint32(seed);
  const state = { pulled: 0, closed: false };
  const stream: PairStream = {
    async *[Symbol.asyncIterator]() {
      try {
        for (let at = 0; at < pairs.length; ) {
          const size = 1 + (next() % 50);
          const batch = pairs.slice(at, at + size);
          state.pulled += batch.length;
          at += size;
          yield batch;
        }
      } finally {
        state.closed = true;
      }
    },
  };
  return { stream, state };
}

function mixedPairs(count: number, seed: number): GcdPair[] {
  const next = seededUint32(seed);
  return Array.from({ length: count }, (_, i): GcdPair => {
    if (i % 5 === 0) {
      const common = randomBig(next, 30);
      return [randomBig(next, 100, true) * common, randomBig(next, 90, true) * common];
    }
    return [next() % 100_000, -(next() % 100_000)];
  });
}

const runners = { runSerial, runAsync } as const;

describe.each(Object.entries(runners))('%s over a stream', (_, run) => {
  it('gives the results of the array run, whatever the batches (10 seeds)', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const pairs = mixedPairs(300, seed);
      for (const algorithm of ['euclid', 'binary'] as const) {
        const { stream, state } = streamOf(pairs, seed);
        const streamed = await run(stream, { algorithm });
        expect(streamed.results).toEqual(pairs.map((pair) => gcdOf(pair, algorithm)));
        expect(state.closed).toBe(true);
      }
    }
  });

  it('reports progress without a total until the end, then done === total', async () => {
    const seen: GcdProgress[] = [];
    const { stream } = streamOf(chapterPairs(3), 4);
    await run(stream, { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toMatchObject({ done: 30, total: 30 });
    expect(seen.slice(0, -1).every((p) => p.total === undefined)).toBe(true);
  });

  it('reads as it computes: stopped early, it has pulled only a little of an endless stream', async () => {
    const controller = new AbortController();
    let pulled = 0;
    const endless: PairStream = {
      async *[Symbol.asyncIterator]() {
        for (let i = 1; ; i++) {
          pulled += 100;
          yield Array.from({ length: 100 }, (_, k): GcdPair => [i * 100 + k, 6]);
        }
      },
    };
    const reason = new Error('enough');
    let computed = 0;
    const running = run(endless, {
      algorithm: 'euclid',
      signal: controller.signal,
      onProgress: (p) => {
        computed = p.done;
        if (p.done >= 20_000) controller.abort(reason);
      },
    });
    await expect(running).rejects.toBe(reason);
    expect(computed).toBeGreaterThanOrEqual(20_000);
    // What was read and not yet computed is at most the batch in hand (and the next one).
    expect(pulled - computed).toBeLessThanOrEqual(200);
  });

  it('stops waiting for a stream that sends nothing when the signal aborts', async () => {
    const never = deferred<IteratorResult<GcdPair[]>>();
    let returned = false;
    const silent: PairStream = {
      [Symbol.asyncIterator]: () => ({
        next: () => never.promise,
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const controller = new AbortController();
    const reason = new Error('SIGTERM');
    const running = run(silent, { signal: controller.signal });
    setImmediate(() => controller.abort(reason));
    await expect(running).rejects.toBe(reason);
    expect(returned).toBe(true);
  });

  it('refuses a too large naive pair of a stream by its position and closes the stream', async () => {
    const pairs: GcdPair[] = [...chapterPairs(1), [10n ** 30n, 10n ** 31n], [3, 4]];
    const { stream, state } = streamOf(pairs, 8);
    const error = await run(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NaiveTooLargeError);
    expect(error).toMatchObject({ index: 10 });
    expect((error as Error).message).toMatch(/pair #11 \(1000000000000000000000000000000, /);
    expect(state.closed).toBe(true);
  });

  it('rejects with the syntax error of a bad line of the stream', async () => {
    async function* text() {
      yield '12 18\n4 x\n';
    }
    await expect(run(readPairs(text(), { source: 'in.txt' }))).rejects.toBeInstanceOf(
      PairsSyntaxError,
    );
  });
});

describe('runAsync when one task fails beside a huge pair', () => {
  it('stops the huge pair too instead of waiting for it to end', async () => {
    const next = seededUint32(13);
    const hex = (digits: number): bigint =>
      BigInt(`0x1${Array.from({ length: digits }, () => (next() & 15).toString(16)).join('')}`);
    // Minutes of Stein's algorithm on two 2-million-bit numbers, in slices, then a pair the
    // run refuses as it is read: waiting for the first would outlast the test's timeout.
    const huge: GcdPair = [hex(500_000), hex(500_000)];
    const mixed = [1, 2n] as unknown as GcdPair;
    const stream: PairStream = {
      async *[Symbol.asyncIterator]() {
        yield [huge, mixed];
      },
    };
    await expect(runAsync(stream, { algorithm: 'binary', concurrency: 2 })).rejects.toThrow(
      /pair #2: expected two numbers or two bigints/,
    );
  });
});

describe('collectPairs', () => {
  it('stops waiting for a silent stream when its signal aborts', async () => {
    const never = deferred<IteratorResult<GcdPair[]>>();
    const silent: PairStream = {
      [Symbol.asyncIterator]: () => ({ next: () => never.promise }),
    };
    const controller = new AbortController();
    const reason = new Error('SIGTERM');
    const collecting = collectPairs(silent, { signal: controller.signal });
    setImmediate(() => controller.abort(reason));
    await expect(collecting).rejects.toBe(reason);
  });
});

describe.each(Object.entries(runners))('%s on one huge pair', (_, run) => {
  it('keeps the event loop turning while it computes, and stops on abort', async () => {
    const next = seededUint32(12);
    // Stein's algorithm on two 400,000-bit numbers: seconds of work, in 20 ms slices.
    const pair: GcdPair = [randomBig(next, 400_000), randomBig(next, 400_000)];
    let turns = 0;
    let turning = true;
    const count = (): void => {
      turns++;
      if (turning) setImmediate(count);
    };
    setImmediate(count);
    const controller = new AbortController();
    const reason = new Error('stop');
    const running = run([pair], {
      algorithm: 'binary',
      signal: controller.signal,
      onProgress: () => {},
    });
    // Aborted from a later turn of the loop: only reachable if the run yields mid-gcd.
    const abortAfter = (left: number): void => {
      if (left === 0) controller.abort(reason);
      else setImmediate(() => abortAfter(left - 1));
    };
    abortAfter(5);
    await expect(running).rejects.toBe(reason);
    turning = false;
    expect(turns).toBeGreaterThanOrEqual(5);
  });
});
