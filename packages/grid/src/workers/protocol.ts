import type { PackedShape } from '../bitwise-kernel.js';

/** Slots of the shared control array (an `Int32Array` over its own `SharedArrayBuffer`). */
export const Ctrl = {
  /** Bumped by the main thread for every command. */
  epoch: 0,
  /** Generations asked for by the current command. */
  generations: 1,
  /** Which buffer holds the current generation (0 or 1). */
  parity: 2,
  /** Workers arrived at the barrier. */
  barrierCount: 3,
  /** Bumped by the last worker to arrive: releases the barrier. */
  barrierGeneration: 4,
  /** Set by the last worker at a barrier: 1 = go on, 0 = stop (abort). */
  proceed: 5,
  /** Workers done with the current command. */
  doneCount: 6,
  /** Set by the main thread to stop at the next barrier. */
  abort: 7,
  /** Set by the main thread to end the workers. */
  stop: 8,
  /** Number of slots. */
  length: 9,
} as const;

/** What each worker receives as `workerData`. */
export interface GridWorkerData {
  readonly control: SharedArrayBuffer;
  readonly buffers: readonly [SharedArrayBuffer, SharedArrayBuffer];
  readonly shape: PackedShape;
  /** First world row of this worker's band. */
  readonly yStart: number;
  /** One past the last world row of this worker's band. */
  readonly yEnd: number;
  readonly threads: number;
}

/** The message the last worker to finish a command posts. */
export interface CommandDone {
  readonly type: 'done';
  readonly epoch: number;
  readonly executed: number;
}
