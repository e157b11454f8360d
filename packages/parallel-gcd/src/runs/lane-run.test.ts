import { deferred } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { LaneRun } from './lane-run.js';
import { ProgressReporter } from './progress.js';
import type { GcdProgress } from './types.js';
import { planChunks } from './schedule.js';
import { chapterPairs } from '../input/chapter.js';
import type { GcdValue } from '../types.js';
import { type LaneResult, createWorkQueue } from './work-queue.js';
import { gcdLane } from '../worker.js';

const CHAPTER_GCDS = [1, 1, 5, 1, 32, 1, 14, 9, 1, 9];

/** A run over the chapter pairs repeated `scale` times, with `workerLanes` lanes planned. */
function setup(scale: number, workerLanes: number, onProgress?: (p: GcdProgress) => void) {
  const pairs = chapterPairs(scale);
  const chunks = planChunks(pairs, 'euclid', workerLanes + 1);
  const queue = createWorkQueue(workerLanes);
  const results: GcdValue[] = new Array(pairs.length);
  const progress = new ProgressReporter('workers', pairs.length, onProgress);
  const run = new LaneRun(queue, chunks, results, progress);
  return { pairs, chunks, queue, results, run };
}

describe('LaneRun', () => {
  it('lets the caller take every chunk and cancels a lane whose thread never started', async () => {
    const { run, results } = setup(3, 1);
    const task = deferred<LaneResult>();
    let laneSignal: AbortSignal | undefined;
    const lane = run.startWorkerLane(0, (signal) => {
      laneSignal = signal;
      return task.promise;
    });
    await run.callerLane('euclid', 1);
    expect(run.callerPairs).toBe(30);
    // The task never settles by itself: finish must not wait for it.
    await run.finish([lane]);
    expect(laneSignal?.aborted).toBe(true);
    expect(results).toEqual([...CHAPTER_GCDS, ...CHAPTER_GCDS, ...CHAPTER_GCDS]);
    // Its rejection (the abort) is not a failure of the run.
    task.reject(new Error('aborted'));
    await lane.settled;
  });

  it('writes the chunks a worker lane computed into their input positions', async () => {
    const seen: GcdProgress[] = [];
    const { run, queue, chunks, results } = setup(4, 1, (p) => seen.push(p));
    // The "thread" starts first and takes every chunk; the caller then finds none.
    const lane = run.startWorkerLane(0, async () =>
      gcdLane(
        queue,
        0,
        chunks.map((c) => c.pairs),
        'euclid',
      ),
    );
    await run.callerLane('euclid', 1);
    await run.finish([lane]);
    expect(run.callerPairs).toBe(0);
    expect(results).toEqual(Array.from({ length: 4 }, () => CHAPTER_GCDS).flat());
    expect(seen.at(-1)).toEqual({ mode: 'workers', done: 40, total: 40 });
  });

  it('fails with the first worker error and aborts the other lanes with it', async () => {
    const { run } = setup(2, 2);
    const first = deferred<LaneResult>();
    const second = deferred<LaneResult>();
    const signals: AbortSignal[] = [];
    const lanes = [first, second].map((task, i) =>
      run.startWorkerLane(i, (signal) => {
        signals.push(signal);
        return task.promise;
      }),
    );
    const error = new RangeError('thread crashed');
    first.reject(error);
    await lanes[0]!.settled;
    expect(signals[1]!.aborted).toBe(true);
    expect(signals[1]!.reason).toBe(error);
    // The aborted lane rejects in turn; that echo is not reported instead of the cause.
    second.reject(signals[1]!.reason);
    await expect(run.finish(lanes)).rejects.toBe(error);
  });

  it('stops the caller lane at its next yield when the run fails (abort)', async () => {
    const { run } = setup(20, 1);
    const task = deferred<LaneResult>();
    const lane = run.startWorkerLane(0, () => task.promise);
    const reason = new Error('interrupted');
    const caller = run.callerLane('naive', 1);
    // Queued behind the caller's first slice: the caller sees it when it yields.
    setImmediate(() => run.fail(reason));
    await caller;
    expect(run.callerPairs).toBeLessThan(200);
    task.reject(reason);
    await expect(run.finish([lane])).rejects.toBe(reason);
  });

  it('fails with the caller lane own error', async () => {
    const pairs = [[1, 2n]] as unknown as ReturnType<typeof chapterPairs>;
    const chunks = [{ indices: [0], pairs }];
    const run = new LaneRun(
      createWorkQueue(0),
      chunks,
      [],
      new ProgressReporter('workers', 1, undefined),
    );
    await run.callerLane('euclid', 0);
    await expect(run.finish([])).rejects.toThrow(/expected two numbers or two bigints/);
  });
});
