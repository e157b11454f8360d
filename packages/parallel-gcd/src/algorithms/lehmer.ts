/**
 * Lehmer's acceleration of Euclid for big bigints (Knuth, TAOCP vol. 2, 4.5.2, Algorithm L):
 * run Euclid on the leading 50 bits with plain doubles, collect the steps in a 2×2 matrix,
 * and apply the matrix to the full values at once. Dozens of bigint divisions become four
 * small multiplications; the remainders are the very ones Euclid computes.
 */
import { bitLength, bitLength53 } from './bits.js';
import { NEVER_PAUSE, type PauseCheck } from './steps.js';

/** Below this many bits a plain remainder step is as cheap as a Lehmer step. */
const LEHMER_MIN_BITS = 128;
/** Leading bits used; cofactors and quotients then stay exact in doubles (< 2^53). */
const LEADING_BITS = 50;

/** gcd of two non-negative bigints, Euclid with Lehmer steps. */
export function euclidBig(x: bigint, y: bigint): bigint {
  const state = new LehmerEuclid(x, y);
  state.advance(NEVER_PAUSE);
  return state.result;
}

/**
 * Euclid with Lehmer steps on two non-negative bigints, one Lehmer round at a time: each
 * round costs a few operations on the full numbers (a fraction of a millisecond for a
 * million bits), and `advance` asks `pause` after every round.
 */
export class LehmerEuclid {
  #x: bigint;
  #y: bigint;
  // An upper bound of x's bit length, tightened on every round (x only shrinks).
  #length: number;
  #done = false;

  constructor(x: bigint, y: bigint) {
    [this.#x, this.#y] = x < y ? [y, x] : [x, y];
    this.#length = bitLength(this.#x);
  }

  /** The gcd, once `advance` returned true. */
  get result(): bigint {
    return this.#x;
  }

  /** Runs rounds until done (true) or until `pause()` says to stop (false). */
  advance(pause: PauseCheck): boolean {
    while (!this.#done) {
      if (this.#y === 0n || this.#length < LEHMER_MIN_BITS) {
        let x = this.#x;
        let y = this.#y;
        while (y !== 0n) [x, y] = [y, x % y];
        this.#x = x;
        this.#y = 0n;
        this.#done = true;
        break;
      }
      this.#round();
      if (pause()) return this.#done;
    }
    return true;
  }

  #round(): void {
    let x = this.#x;
    let y = this.#y;
    let length = this.#length;
    let shift = BigInt(length - LEADING_BITS);
    let xh = Number(x >> shift);
    const actual = length - LEADING_BITS + bitLength53(xh);
    if (actual < length) {
      length = actual;
      this.#length = length;
      if (length < LEHMER_MIN_BITS) return;
      shift = BigInt(length - LEADING_BITS);
      xh = Number(x >> shift);
    }
    let yh = Number(y >> shift);
    let a = 1;
    let b = 0;
    let c = 0;
    let d = 1;
    // Knuth's test: the quotient is certain when both bounds of the leading digits agree.
    while (yh + c !== 0 && yh + d !== 0) {
      const q = Math.floor((xh + a) / (yh + c));
      if (q !== Math.floor((xh + b) / (yh + d))) break;
      [a, c] = [c, a - q * c];
      [b, d] = [d, b - q * d];
      [xh, yh] = [yh, xh - q * yh];
    }
    if (b === 0) {
      // The leading digits decided nothing: one full step.
      [x, y] = [y, x % y];
    } else {
      [x, y] = [BigInt(a) * x + BigInt(b) * y, BigInt(c) * x + BigInt(d) * y];
    }
    this.#x = x;
    this.#y = y;
  }
}
