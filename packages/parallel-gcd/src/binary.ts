import { absPair } from './integers.js';

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
  if (x === 0n) return y;
  if (y === 0n) return x;
  // The trailing zeros of x | y are the smaller of the two counts: the shared factor 2^k.
  const shift = ctzBig(x | y);
  x >>= ctzBig(x);
  do {
    y >>= ctzBig(y);
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    y -= x;
  } while (y !== 0n);
  return x << shift;
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

/** Trailing zero bits of a positive bigint, 32 bits at a time. */
function ctzBig(v: bigint): bigint {
  let zeros = 0n;
  while ((v & 0xffffffffn) === 0n) {
    v >>= 32n;
    zeros += 32n;
  }
  return zeros + BigInt(ctz32(Number(v & 0xffffffffn)));
}
