import { bitLength } from './bits.js';
import { absPair } from './integers.js';
import { NEVER_PAUSE, type PauseCheck } from './steps.js';

const TWO_POW_32 = 4294967296;
const INT32_MAX = 0x7fffffff;

/**
 * Greatest common divisor by Stein's binary algorithm (shifts and subtractions only).
 * Same contract as `gcdEuclid`: gcd(0, n) = |n|, gcd(0, 0) = 0, signs ignored, numbers
 * must be safe integers and bigints may be of any size.
 *
 * @example
 * gcdBinary(1823712, 1924928); // 32
 * gcdBinary(-12n, 18n); // 6n
 */
export function gcdBinary(a: number, b: number): number;
export function gcdBinary(a: bigint, b: bigint): bigint;
export function gcdBinary(a: number | bigint, b: number | bigint): number | bigint {
  const pair = absPair('gcdBinary', a, b);
  if (typeof pair[0] === 'bigint') {
    const [x, y] = pair as [bigint, bigint];
    return binaryBig(x, y);
  }
  const [x, y] = pair as [number, number];
  return x <= INT32_MAX && y <= INT32_MAX ? binaryInt32(x, y) : binarySafe(x, y);
}

/** Both inputs below 2^31: plain 32-bit shifts. */
function binaryInt32(x: number, y: number): number {
  if (x === 0) return y;
  if (y === 0) return x;
  const shift = ctz32(x | y);
  x >>>= ctz32(x);
  do {
    y >>>= ctz32(y);
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    y -= x;
  } while (y !== 0);
  return x << shift;
}

/**
 * Safe integers up to 2^53: JS bitwise operators are 32-bit, so shifts are divisions by
 * powers of two, which are exact for integers below 2^53.
 */
function binarySafe(x: number, y: number): number {
  if (x === 0) return y;
  if (y === 0) return x;
  const zx = ctzSafe(x);
  const zy = ctzSafe(y);
  x /= 2 ** zx;
  do {
    y /= 2 ** ctzSafe(y);
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    y -= x;
  } while (y !== 0);
  return x * 2 ** Math.min(zx, zy);
}

function binaryBig(x: bigint, y: bigint): bigint {
  const steps = new BinaryBig(x, y);
  steps.advance(NEVER_PAUSE);
  return steps.result;
}

/** Subtract-and-shift rounds between two pause checks (~5 ms for a million bits). */
const ROUNDS_PER_CHECK = 8;

/**
 * Stein's algorithm on two non-negative bigints in rounds: each round is one subtraction
 * and one shift of the full numbers, and `advance` asks `pause` every 8 rounds.
 */
export class BinaryBig {
  #x: bigint;
  #y: bigint;
  readonly #shift: bigint;
  #done = false;

  constructor(x: bigint, y: bigint) {
    if (x === 0n || y === 0n) {
      this.#x = x + y;
      this.#y = 0n;
      this.#shift = 0n;
      this.#done = true;
      return;
    }
    // The trailing zeros of x | y are the smaller of the two counts: the shared factor 2^k.
    this.#shift = ctzBig(x | y);
    this.#x = x >> ctzBig(x);
    this.#y = y;
  }

  /** The gcd, once `advance` returned true. */
  get result(): bigint {
    return this.#done ? this.#x << this.#shift : 0n;
  }

  /** Runs rounds until done (true) or until `pause()` says to stop (false). */
  advance(pause: PauseCheck): boolean {
    let x = this.#x;
    let y = this.#y;
    while (!this.#done) {
      for (let round = 0; round < ROUNDS_PER_CHECK; round++) {
        y >>= ctzBig(y);
        if (x > y) {
          const t = x;
          x = y;
          y = t;
        }
        y -= x;
        if (y === 0n) {
          this.#done = true;
          break;
        }
      }
      this.#x = x;
      this.#y = y;
      if (!this.#done && pause()) return false;
    }
    return true;
  }
}

/** Trailing zero bits of a non-zero 32-bit value. */
function ctz32(v: number): number {
  return 31 - Math.clz32(v & -v);
}

/** Trailing zero bits of a positive safe integer. */
function ctzSafe(v: number): number {
  const low = v % TWO_POW_32;
  return low !== 0 ? ctz32(low) : 32 + ctz32(Math.floor(v / TWO_POW_32));
}

/**
 * Trailing zero bits of a positive bigint. v & -v keeps only the lowest set bit, so its
 * bit length is found in one pass over v, however many zero words v ends with.
 */
function ctzBig(v: bigint): bigint {
  const low = Number(v & 0xffffffffn);
  if (low !== 0) return BigInt(ctz32(low));
  return BigInt(bitLength(v & -v) - 1);
}
