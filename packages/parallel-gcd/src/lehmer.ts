/**
 * Lehmer's acceleration of Euclid for big bigints (Knuth, TAOCP vol. 2, 4.5.2, Algorithm L):
 * run Euclid on the leading 50 bits with plain doubles, collect the steps in a 2×2 matrix,
 * and apply the matrix to the full values at once. Dozens of bigint divisions become four
 * small multiplications; the remainders are the very ones Euclid computes.
 */

/** Below this many bits a plain remainder step is as cheap as a Lehmer step. */
const LEHMER_MIN_BITS = 128;
/** Leading bits used; cofactors and quotients then stay exact in doubles (< 2^53). */
const LEADING_BITS = 50;

/** gcd of two non-negative bigints, Euclid with Lehmer steps. */
export function euclidBig(x: bigint, y: bigint): bigint {
  if (x < y) [x, y] = [y, x];
  // An upper bound of x's bit length, tightened on every round (x only shrinks).
  let length = bitLength(x);
  while (y !== 0n && length >= LEHMER_MIN_BITS) {
    let shift = BigInt(length - LEADING_BITS);
    let xh = Number(x >> shift);
    const actual = length - LEADING_BITS + bitLength53(xh);
    if (actual < length) {
      length = actual;
      if (length < LEHMER_MIN_BITS) break;
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
  }
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Bit length of a non-negative integer below 2^53. */
function bitLength53(v: number): number {
  return v >= 2 ** 32 ? 32 + bitLength53(Math.floor(v / 2 ** 32)) : 32 - Math.clz32(v);
}

function bitLength(v: bigint): number {
  // Hex digits are cheap to count; the leading digit's bits are trimmed exactly.
  const hex = v.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(hex[0]!, 16)));
}
