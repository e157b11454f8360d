/**
 * The queue of chunks that every lane of `runWorkers` (the worker threads and, with
 * `callerRuns`, the calling thread) takes work from: a few 32-bit counters in a
 * `SharedArrayBuffer`. A lane claims the next chunk with one `Atomics.add`, so no lane ever
 * waits for a message from another thread to get its next piece of work.
 *
 * Layout (Int32Array): the next unclaimed chunk, pairs finished by worker lanes, the stop
 * flag, then one state per worker lane.
 */
import type { GcdValue } from '../types.js';

const NEXT = 0;
const DONE = 1;
const STOP = 2;
const LANES = 3;

/** A worker lane nobody has started yet. */
const IDLE = 0;
/** The worker thread entered its lane: its chunks come back with its task's result. */
const STARTED = 1;
/** The run no longer needs the lane (all chunks were taken before its thread was ready). */
const CANCELLED = 2;

/** Creates the shared counters for `workerLanes` worker lanes, all idle, nothing claimed. */
export function createWorkQueue(workerLanes: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer((LANES + workerLanes) * 4));
}

/**
 * Claims the next chunk: its index, or -1 once every chunk is claimed or the run stopped.
 * Each index below `chunkCount` goes to exactly one caller.
 */
export function claimChunk(queue: Int32Array, chunkCount: number): number {
  if (Atomics.load(queue, STOP) !== 0) return -1;
  const index = Atomics.add(queue, NEXT, 1);
  return index < chunkCount ? index : -1;
}

/** True once every one of the `chunkCount` chunks has been claimed by some lane. */
export function allClaimed(queue: Int32Array, chunkCount: number): boolean {
  return Atomics.load(queue, NEXT) >= chunkCount;
}

/** Tells the other lanes to claim nothing more (after an error or an abort). */
export function stopQueue(queue: Int32Array): void {
  Atomics.store(queue, STOP, 1);
}

/** Counts `pairs` more pairs finished by a worker lane, for progress reports. */
export function addWorkerDone(queue: Int32Array, pairs: number): void {
  Atomics.add(queue, DONE, pairs);
}

/** Pairs finished by the worker lanes so far. */
export function workerDone(queue: Int32Array): number {
  return Atomics.load(queue, DONE);
}

/**
 * Called by a worker thread as it enters lane `lane`: true if the lane is still wanted,
 * false if the run cancelled it (the thread then returns at once).
 */
export function startLane(queue: Int32Array, lane: number): boolean {
  return Atomics.compareExchange(queue, LANES + lane, IDLE, STARTED) === IDLE;
}

/** True once each of the first `workerLanes` lanes has been entered (or cancelled). */
export function lanesSettledIn(queue: Int32Array, workerLanes: number): boolean {
  for (let lane = 0; lane < workerLanes; lane++) {
    if (Atomics.load(queue, LANES + lane) === IDLE) return false;
  }
  return true;
}

/**
 * Called by the main thread once every chunk is claimed: true if lane `lane` never
 * started (so it holds no chunk and its task need not be waited for), false if its thread
 * entered it and its result must be awaited. Exactly one of `startLane` and `cancelLane`
 * wins for each lane.
 */
export function cancelLane(queue: Int32Array, lane: number): boolean {
  return Atomics.compareExchange(queue, LANES + lane, IDLE, CANCELLED) === IDLE;
}

/** What a worker lane sends back: the chunks it claimed and their results, chunk by chunk. */
export interface LaneResult {
  /** Indices (in the plan) of the chunks this lane computed, in the order it took them. */
  readonly chunks: number[];
  /** `results[k]` holds the gcds of chunk `chunks[k]`, in the chunk's order. */
  readonly results: GcdValue[][];
}
