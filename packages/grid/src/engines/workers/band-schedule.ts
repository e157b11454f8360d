import { Ctrl, targetOf } from './protocol.js';

// Which band a thread steps next, with the band states in the shared control array
// (see `Ctrl`). Pure Atomics over an Int32Array, so it runs (and is tested) on any thread.

/** The bands of a world and where one thread looks for work first. */
export interface BandLayout {
  readonly bands: number;
  /** Band above each band (-1: none, on a plane). */
  readonly above: Int32Array;
  /** Band below each band (-1: none, on a plane). */
  readonly below: Int32Array;
  /** Bands in the order this thread scans them: its own share first. */
  readonly order: Int32Array;
}

/** The layout for thread `index` of `threads`; on a torus the first and last bands touch. */
export function bandLayout(
  bands: number,
  torus: boolean,
  index: number,
  threads: number,
): BandLayout {
  const above = new Int32Array(bands);
  const below = new Int32Array(bands);
  const order = new Int32Array(bands);
  const home = Math.floor((bands * index) / threads);
  for (let b = 0; b < bands; b++) {
    above[b] = b > 0 ? b - 1 : torus ? bands - 1 : -1;
    below[b] = b < bands - 1 ? b + 1 : torus ? 0 : -1;
    order[b] = (home + b) % bands;
  }
  return { bands, above, below, order };
}

/** `claimBand`: no band can start now (wait for progress). */
export const NONE_READY = -1;
/** `claimBand`: every band has reached the command's target. */
export const ALL_DONE = -2;

function completed(ctrl: Int32Array, band: number): number {
  return band < 0 ? Number.MAX_SAFE_INTEGER : Atomics.load(ctrl, Ctrl.bands + band) >> 1;
}

/** Allow some band to reach `level`; false once the level is frozen below it. */
function admit(ctrl: Int32Array, level: number): boolean {
  for (;;) {
    const word = Atomics.load(ctrl, Ctrl.level);
    if (word >> 1 >= level) return true;
    if ((word & 1) === 1) return false;
    if (Atomics.compareExchange(ctrl, Ctrl.level, word, level << 1) === word) return true;
  }
}

/**
 * Claim the band that is furthest behind among those that may step now (not busy, below
 * the target, neighbours at least as far), preferring this thread's own share. Returns the
 * band, now marked busy (its generation is `Atomics.load(ctrl, Ctrl.bands + band) >> 1`),
 * or `NONE_READY` / `ALL_DONE`.
 */
export function claimBand(ctrl: Int32Array, layout: BandLayout, generations: number): number {
  for (;;) {
    const target = targetOf(Atomics.load(ctrl, Ctrl.level), generations);
    const { order, above, below } = layout;
    let best = -1;
    let bestGeneration = target;
    let allDone = true;
    for (let k = 0; k < order.length; k++) {
      const band = order[k] as number;
      const state = Atomics.load(ctrl, Ctrl.bands + band);
      const generation = state >> 1;
      if (generation >= target) continue;
      allDone = false;
      if ((state & 1) === 1 || generation >= bestGeneration) continue;
      if (completed(ctrl, above[band] as number) < generation) continue;
      if (completed(ctrl, below[band] as number) < generation) continue;
      best = band;
      bestGeneration = generation;
    }
    if (allDone) return ALL_DONE;
    if (best < 0) return NONE_READY;
    // Frozen below this generation: the target just dropped, look again.
    if (!admit(ctrl, bestGeneration + 1)) continue;
    const idle = bestGeneration << 1;
    if (Atomics.compareExchange(ctrl, Ctrl.bands + best, idle, idle | 1) === idle) return best;
  }
}

/** Mark a claimed band one generation further and wake threads waiting for progress. */
export function completeBand(ctrl: Int32Array, band: number): void {
  const slot = Ctrl.bands + band;
  Atomics.store(ctrl, slot, (Atomics.load(ctrl, slot) | 1) + 1);
  Atomics.add(ctrl, Ctrl.progress, 1);
  if (Atomics.load(ctrl, Ctrl.sleepers) > 0) Atomics.notify(ctrl, Ctrl.progress);
}

/**
 * Stop the command at the highest generation any band has been allowed to reach (the
 * others catch up to it); wakes waiting threads so they see the lower target.
 */
export function freezeLevel(ctrl: Int32Array): void {
  Atomics.or(ctrl, Ctrl.level, 1);
  Atomics.add(ctrl, Ctrl.progress, 1);
  Atomics.notify(ctrl, Ctrl.progress);
}
