import type { PackedShape } from '../bitwise-kernel.js';

/**
 * Slots of the shared control array (an `Int32Array` over its own `SharedArrayBuffer`),
 * followed by one state slot per row band (`Ctrl.bands + band`).
 *
 * A command runs `generations` generations. There is no barrier between generations: each
 * band keeps its own count of completed generations, and a thread may advance band `b` from
 * generation `c` to `c + 1` as soon as the bands next to it have completed `c` too (they
 * hold the rows `b` reads, and have stopped reading the rows `b` is about to overwrite in
 * the other buffer). So a thread the OS deschedules in the middle of a band only holds up
 * that band's neighbours; the other threads keep working further away.
 */
export const Ctrl = {
  /** Bumped by the main thread for every command. */
  epoch: 0,
  /** Generations asked for by the current command. */
  generations: 1,
  /** Which buffer holds the current generation at the start of the command (0 or 1). */
  parity: 2,
  /**
   * `2 × level | frozen`: `level` is the highest generation any band may reach (raised
   * before a band starts a generation no band has started). The main thread sets `frozen`
   * on abort: the level can no longer rise, and the command ends with every band at it.
   */
  level: 3,
  /** Bumped after every band step; threads with nothing to do wait on it. */
  progress: 4,
  /** Threads waiting (or about to wait) on `progress`. */
  sleepers: 5,
  /** Workers that left the current command. */
  left: 6,
  /** Set by the main thread to end the workers. */
  stop: 7,
  /** First band state: `2 × generations completed | busy`. */
  bands: 8,
} as const;

/** Length of the control array for a number of bands. */
export function controlLength(bands: number): number {
  return Ctrl.bands + bands;
}

/** The highest generation the command may reach, from the `level` slot. */
export function targetOf(levelWord: number, generations: number): number {
  return (levelWord & 1) === 1 ? levelWord >> 1 : generations;
}

/** Most generations in one command, so the doubled counts fit an Int32. */
export const MAX_COMMAND_GENERATIONS = 2 ** 29;

/** What each worker receives as `workerData`. */
export interface GridWorkerData {
  readonly control: SharedArrayBuffer;
  readonly buffers: readonly [SharedArrayBuffer, SharedArrayBuffer];
  readonly shape: PackedShape;
  /** Row bands per generation. */
  readonly bands: number;
  readonly threads: number;
  /** This worker's number, 0-based: it starts looking for work at its own share of bands. */
  readonly index: number;
}

/** The message the last worker to leave a command posts. */
export interface CommandDone {
  readonly type: 'done';
  readonly epoch: number;
  readonly executed: number;
}

/**
 * Row bands per generation for a height and thread count: enough that a thread always
 * finds a band whose neighbours are ready, few enough that picking one stays cheap.
 */
export function bandsFor(height: number, threads: number): number {
  return Math.max(1, Math.min(height, threads * 8));
}

/** First world row of band `band` (band `bands` gives the height). */
export function bandStart(height: number, bands: number, band: number): number {
  return Math.floor((height * band) / bands);
}
