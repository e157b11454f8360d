import { createSlicer } from '@fanout/executors/core';
import { gcdOf, isHeavyPair } from '../algorithms/gcd-of.js';
import type { GcdAlgorithm, GcdValue } from '../types.js';
import type { ProgressReporter } from './progress.js';
import type { Chunk } from './schedule.js';
import { gcdInSlices } from './sliced.js';
import {
  type LaneResult,
  allClaimed,
  cancelLane,
  claimChunk,
  lanesSettledIn,
  stopQueue,
  workerDone,
} from './work-queue.js';

/**
 * The longest the calling thread computes before it yields while worker threads are still
 * starting: their "ready" messages are handled, and their tasks sent, only when it yields.
 */
const STARTING_SLICE_MS = 4;
/** The same once every thread has its task: only signals and progress need the loop. */
const RUNNING_SLICE_MS = 20;
/** How often progress is read from the worker lanes once the caller has nothing to do. */
const PROGRESS_MS = 50;

/** One worker lane's task, as `LaneRun` tracks it. */
export interface WorkerLane {
  readonly lane: number;
  /** Settles when the task does; never rejects (failures go to `LaneRun#fail`). */
  readonly settled: Promise<void>;
}

/**
 * The state of one `runWorkers` call shared by its lanes: where results go, the first
 * failure (which stops everything), and progress summed over the caller and the threads.
 * The worker lanes run `gcdLane` (worker.ts) on threads; the caller's lane runs here.
 */
export class LaneRun {
  readonly #queue: Int32Array;
  readonly #chunks: readonly Chunk[];
  readonly #results: GcdValue[];
  readonly #offset: number;
  readonly #progress: ProgressReporter;
  readonly #cancels = new Map<number, AbortController>();
  // Aborted on the first failure: stops the caller's lane at its next yield.
  readonly #stop = new AbortController();
  #failed = false;
  #failure: unknown;
  #reported = 0;
  #callerPairs = 0;

  /**
   * `results` is filled in place, at each pair's input position: `offset` plus its index
   * in the planned pairs (a stream is planned window by window).
   */
  constructor(
    queue: Int32Array,
    chunks: readonly Chunk[],
    results: GcdValue[],
    progress: ProgressReporter,
    offset = 0,
  ) {
    this.#queue = queue;
    this.#chunks = chunks;
    this.#results = results;
    this.#progress = progress;
    this.#offset = offset;
  }

  /** Pairs the calling thread computed. */
  get callerPairs(): number {
    return this.#callerPairs;
  }

  /**
   * Records the first failure (a lane's error or the caller's abort reason), stops the
   * queue and aborts every worker lane; later calls change nothing.
   */
  fail(reason: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#failure = reason;
    stopQueue(this.#queue);
    this.#stop.abort(reason);
    for (const cancel of this.#cancels.values()) cancel.abort(reason);
  }

  /**
   * Starts worker lane `lane` with `run`, whose task is aborted through the given signal
   * on failure or cancellation. Its result is written into place when it arrives; its
   * error fails the run.
   */
  startWorkerLane(lane: number, run: (signal: AbortSignal) => Promise<LaneResult>): WorkerLane {
    const cancel = new AbortController();
    this.#cancels.set(lane, cancel);
    const settled = run(cancel.signal).then(
      (result) => this.#write(result),
      (error: unknown) => {
        // A lane cancelled because the caller took every chunk is no failure, and one
        // aborted because of a failure only echoes it.
        if (!cancel.signal.aborted) this.fail(error);
      },
    );
    return { lane, settled: settled.then(() => undefined) };
  }

  /**
   * The calling thread's lane: claims chunks like a worker thread and computes them pair
   * by pair (a heavy pair in steps), yielding every few milliseconds so the pool's
   * messages, timers and signals are handled. Returns when no chunk is left or the run
   * failed (its own error included); never rejects.
   */
  async callerLane(algorithm: GcdAlgorithm, workerLanes: number): Promise<void> {
    const slicer = createSlicer({ sliceMs: STARTING_SLICE_MS, signal: this.#stop.signal });
    try {
      for (let index = claimChunk(this.#queue, this.#chunks.length); index >= 0; ) {
        const { indices, pairs } = this.#chunks[index]!;
        for (let k = 0; k < pairs.length; k++) {
          const pair = pairs[k]!;
          this.#results[this.#offset + indices[k]!] = isHeavyPair(pair, algorithm)
            ? await gcdInSlices(pair, algorithm, slicer)
            : gcdOf(pair, algorithm);
          this.#callerPairs++;
          if (slicer.due) {
            this.#report();
            await slicer.yield();
            if (slicer.sliceMs === STARTING_SLICE_MS && lanesSettledIn(this.#queue, workerLanes)) {
              slicer.sliceMs = RUNNING_SLICE_MS;
            }
          }
        }
        index = claimChunk(this.#queue, this.#chunks.length);
      }
    } catch (error) {
      // The stop signal's reason is the failure already recorded: fail() ignores it.
      this.fail(error);
    }
  }

  /**
   * Waits for the worker lanes and throws the first failure if there was one. Once every
   * chunk is claimed (the caller took the rest), lanes whose threads never started hold
   * no chunk: they are cancelled rather than waited for.
   */
  async finish(lanes: readonly WorkerLane[]): Promise<void> {
    const claimed = allClaimed(this.#queue, this.#chunks.length);
    const waiting: Promise<void>[] = [];
    for (const { lane, settled } of lanes) {
      if (claimed && !this.#failed && cancelLane(this.#queue, lane)) {
        this.#cancels.get(lane)?.abort();
      } else {
        waiting.push(settled);
      }
    }
    const timer = setInterval(() => this.#report(), PROGRESS_MS);
    try {
      await Promise.all(waiting);
    } finally {
      clearInterval(timer);
    }
    if (this.#failed) throw this.#failure;
    this.#report();
  }

  #write(result: LaneResult): void {
    result.chunks.forEach((index, k) => {
      const { indices } = this.#chunks[index]!;
      const values = result.results[k]!;
      indices.forEach((position, j) => {
        this.#results[this.#offset + position] = values[j]!;
      });
    });
  }

  #report(): void {
    const done = this.#callerPairs + workerDone(this.#queue);
    if (done > this.#reported) {
      this.#progress.add(done - this.#reported);
      this.#reported = done;
    }
  }
}
