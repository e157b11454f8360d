import { describe, expect, it } from 'vitest';
import { gcdOf } from '../algorithms/gcd-of.js';
import { ResultsMismatchError } from '../errors.js';
import { chapterPairs } from '../input/chapter.js';
import type { PairSource } from '../input/source.js';
import { reportToJson } from '../report/json.js';
import type { GcdPair } from '../types.js';
import { runAll } from './all.js';
import type { GcdProgress, GcdRun, GcdRunner } from './types.js';

const CHAPTER_GCDS = [1, 1, 5, 1, 32, 1, 14, 9, 1, 9];

/** A runner for an added mode, as another package would write one (here: serially). */
function fakeQueue(mode: string, tamper?: (results: GcdRun['results']) => void): GcdRunner {
  return async (pairs: PairSource, options) => {
    const results: GcdRun['results'] = [];
    if (Array.isArray(pairs)) {
      for (const pair of pairs as readonly GcdPair[])
        results.push(gcdOf(pair, options.algorithm ?? 'naive'));
    } else {
      for await (const batch of pairs as AsyncIterable<readonly GcdPair[]>) {
        for (const pair of batch) results.push(gcdOf(pair, options.algorithm ?? 'naive'));
      }
    }
    tamper?.(results);
    options.onProgress?.({ mode, done: results.length, total: results.length });
    return { mode, algorithm: options.algorithm ?? 'naive', results, seconds: 0.5, parallelism: 3 };
  };
}

describe('runAll', () => {
  it('runs only the modes asked for, in their order', async () => {
    const seen: string[] = [];
    const report = await runAll(chapterPairs(1), {
      modes: ['async', 'serial'],
      algorithm: 'euclid',
      onProgress: (p: GcdProgress) => {
        if (seen.at(-1) !== p.mode) seen.push(p.mode);
      },
    });
    expect(seen).toEqual(['async', 'serial']);
    expect(Object.keys(report.seconds)).toEqual(['async', 'serial']);
    expect(report.results).toEqual(CHAPTER_GCDS);
    expect(report).not.toHaveProperty('workersSeconds');
    expect(report.asyncSpeedup).toBeCloseTo(report.serialSeconds! / report.asyncSeconds!);
  });

  it('runs an added mode beside the built-in ones and reports its seconds', async () => {
    const report = await runAll(chapterPairs(2), {
      modes: ['serial', 'queue'],
      runners: { queue: fakeQueue('queue') },
    });
    expect(report.results).toEqual([...CHAPTER_GCDS, ...CHAPTER_GCDS]);
    expect(report.seconds.queue).toBe(0.5);
    expect(report.runs.queue?.parallelism).toBe(3);
    const json = reportToJson(report);
    expect(json.queueSeconds).toBe(0.5);
    expect(Object.keys(json)).toEqual([
      'pairs',
      'results',
      'serialSeconds',
      'algorithm',
      'queueSeconds',
    ]);
  });

  it('fails with ResultsMismatchError naming the added mode when it disagrees', async () => {
    const error = await runAll(chapterPairs(1), {
      modes: ['serial', 'queue'],
      algorithm: 'binary',
      runners: {
        queue: fakeQueue('queue', (results) => {
          results[4] = 33;
        }),
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultsMismatchError);
    expect(error).toMatchObject({ index: 4, values: { serial: 32, queue: 33 } });
  });

  it('opens the pairs afresh for each mode when given a function', async () => {
    let opened = 0;
    const report = await runAll(
      () => {
        opened++;
        return (async function* () {
          yield chapterPairs(1);
        })();
      },
      {
        modes: ['serial', 'async', 'queue'],
        algorithm: 'euclid',
        runners: { queue: fakeQueue('queue') },
      },
    );
    expect(opened).toBe(3);
    expect(report.pairs).toBe(10);
  });

  it('refuses unknown modes, built-in names in runners and a one-shot stream for two modes', async () => {
    await expect(runAll(chapterPairs(1), { modes: ['gpu'] })).rejects.toThrow(
      /unknown gcd run mode "gpu"; expected one of serial, async, workers/,
    );
    await expect(
      runAll(chapterPairs(1), { modes: ['serial'], runners: { serial: fakeQueue('serial') } }),
    ).rejects.toThrow(/runners.serial: serial is a built-in mode/);
    await expect(runAll(chapterPairs(1), { modes: [] })).rejects.toThrow(/at least one mode/);
    const stream = (async function* () {
      yield chapterPairs(1);
    })();
    await expect(runAll(stream, { modes: ['serial', 'async'] })).rejects.toThrow(
      /a stream can be read only once/,
    );
    expect((await runAll(stream, { modes: ['serial'], algorithm: 'euclid' })).pairs).toBe(10);
  });

  it('checks every mode before running the first', async () => {
    let ran = false;
    const error = await runAll(chapterPairs(1), {
      modes: ['queue', 'nope'],
      runners: {
        queue: async (pairs, options) => {
          ran = true;
          return fakeQueue('queue')(pairs, options);
        },
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(ran).toBe(false);
  });
});
