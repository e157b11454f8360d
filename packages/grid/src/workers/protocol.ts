import type { PackedShape } from '../bitwise-kernel.js';

/**
 * Slots of the shared control array (an `Int32Array` over its own `SharedArrayBuffer`).
 *
 * A command runs `generations` generations. Each generation is cut into `chunks` row bands;
 * workers take tickets (`ticket`, one per band, in order) so a thread that the OS does not
 * schedule holds nobody up: the others take its bands. Generation `g` may start once
 * `released >= g`, i.e. every band of generation `g - 1` is written.
 */
export const Ctrl = {
  /** Bumped by the main thread for every command. */
  epoch: 0,
  /** Generations asked for by the current command. */
  generations: 1,
  /** Which buffer holds the current generation at the start of the command (0 or 1). */
  parity: 2,
  /** Next ticket: band `ticket % chunks` of generation `floor(ticket / chunks)`. */
  ticket: 3,
  /** Bands finished in this command. */
  finished: 4,
  /** Generations completed in this command. */
  released: 5,
  /** Generation at which to stop (the requested count, lowered on abort). */
  stopAt: 6,
  /** Workers that left the current command. */
  left: 7,
  /** Set by the main thread to stop after the current generation. */
  abort: 8,
  /** Set by the main thread to end the workers. */
  stop: 9,
  /** Number of slots. */
  length: 10,
} as const;

/** What each worker receives as `workerData`. */
export interface GridWorkerData {
  readonly control: SharedArrayBuffer;
  readonly buffers: readonly [SharedArrayBuffer, SharedArrayBuffer];
  readonly shape: PackedShape;
  /** Row bands per generation. */
  readonly chunks: number;
  readonly threads: number;
}

/** The message the last worker to leave a command posts. */
export interface CommandDone {
  readonly type: 'done';
  readonly epoch: number;
  readonly executed: number;
}

/** Row bands per generation for a height and thread count. */
export function chunksFor(height: number, threads: number): number {
  return Math.max(1, Math.min(height, threads * 8));
}
