import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare.js';
import { ResultsMismatchError } from '../errors.js';
import { reportToJson } from './json.js';
import type { GcdRun, GcdWorkersRun } from '../runs/types.js';

const serial: GcdRun = {
  mode: 'serial',
  algorithm: 'naive',
  results: [1, 5, 2n ** 60n],
  seconds: 1.2,
  parallelism: 1,
};
const asyncRun: GcdRun = { ...serial, mode: 'async', seconds: 1.25, parallelism: 2 };
const workers: GcdWorkersRun = {
  ...serial,
  mode: 'workers',
  seconds: 0.6,
  parallelism: 2,
  chunks: 3,
  workerThreads: 1,
  callerRuns: true,
  callerPairs: 1,
};

describe('compareRuns', () => {
  it('returns the figures side by side with the speedups', () => {
    const report = compareRuns({ serial, async: asyncRun, workers });
    expect(report).toMatchObject({
      algorithm: 'naive',
      pairs: 3,
      results: [1, 5, 2n ** 60n],
      serialSeconds: 1.2,
      asyncSeconds: 1.25,
      workersSeconds: 0.6,
      concurrency: 2,
      workers: 2,
      speedup: 2,
      asyncSpeedup: 0.96,
    });
  });

  it('leaves out the fields of runs not made', () => {
    const report = compareRuns({ workers });
    expect(report.workersSeconds).toBe(0.6);
    expect('serialSeconds' in report).toBe(false);
    expect('speedup' in report).toBe(false);
  });

  it('names the first pair where runs disagree', () => {
    const wrong: GcdRun = { ...asyncRun, results: [1, 6, 2n ** 60n] };
    expect(() => compareRuns({ serial, async: wrong })).toThrow(ResultsMismatchError);
    expect(() => compareRuns({ serial, async: wrong })).toThrow(
      'runs disagree at pair #2: serial 5, async 6',
    );
    const short: GcdRun = { ...asyncRun, results: [1, 5] };
    expect(() => compareRuns({ serial, async: short })).toThrow(/pair #3/);
  });

  it('refuses no runs, and runs of different algorithms', () => {
    expect(() => compareRuns({})).toThrow(/at least one run/);
    expect(() => compareRuns({ serial, workers: { ...workers, algorithm: 'euclid' } })).toThrow(
      /workers run used euclid/,
    );
  });
});

describe('reportToJson', () => {
  it('gives the CLI fields, results encoded, in the contract order', () => {
    const json = reportToJson(compareRuns({ serial, async: asyncRun, workers }));
    expect(Object.keys(json)).toEqual([
      'pairs',
      'results',
      'serialSeconds',
      'asyncSeconds',
      'workersSeconds',
      'workers',
      'speedup',
      'algorithm',
      'concurrency',
      'asyncSpeedup',
      'workerThreads',
    ]);
    expect(json.results).toEqual([1, 5, '1152921504606846976']);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('omits the fields of runs not made', () => {
    expect(reportToJson(compareRuns({ serial }))).toEqual({
      pairs: 3,
      results: [1, 5, '1152921504606846976'],
      serialSeconds: 1.2,
      algorithm: 'naive',
    });
  });
});
