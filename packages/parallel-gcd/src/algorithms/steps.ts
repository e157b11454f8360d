/**
 * A gcd computed in steps. One huge gcd (two 450,000-digit numbers: 16 s of Lehmer steps
 * here) would block the thread that runs it from start to end; computed in steps, the
 * caller can hand the thread back between them (to the event loop, so a signal is seen).
 */
import type { GcdValue } from '../types.js';

/** Asked now and then between the steps of a long gcd: true to pause there. */
export type PauseCheck = () => boolean;

/** A gcd in progress; see `gcdSteps`. */
export interface GcdSteps {
  /**
   * Computes until the result is known (true) or until `pause()` returns true (false; call
   * `advance` again to go on). `pause` is asked about once per millisecond of work or more
   * often, never in the middle of one BigInt operation.
   */
  advance(pause: PauseCheck): boolean;
  /** The gcd, once `advance` has returned true (a bigint for a bigint pair). */
  readonly result: GcdValue;
}

/** Steps whose result is already known (cheap pairs, zeros). */
export function finished(result: GcdValue): GcdSteps {
  return { advance: () => true, result };
}

/** For running steps to the end in one go. */
export const NEVER_PAUSE: PauseCheck = () => false;
