/** Helpers for the tests: random big integers and a gcd certificate check. */

/** A random bigint of exactly `bits` bits, possibly negated. */
export function randomBig(next: () => number, bits: number, signed = false): bigint {
  let v = 1n;
  for (let i = 1; i < bits; i += 16) v = (v << 16n) | BigInt(next() & 0xffff);
  v >>= BigInt(Math.max(0, Math.ceil((bits - 1) / 16) * 16 + 1 - bits));
  return signed && next() & 1 ? -v : v;
}

/**
 * Whether `g` is gcd(a, b), checked by a certificate rather than another gcd: g divides
 * both, and g = a·x + b·y for integers x, y (so every common divisor divides g).
 */
export function isGcd(a: bigint, b: bigint, g: bigint): boolean {
  if (a === 0n && b === 0n) return g === 0n;
  if (g <= 0n || a % g !== 0n || b % g !== 0n) return false;
  const [x, y] = bezout(a < 0n ? -a : a, b < 0n ? -b : b);
  const sa = a < 0n ? -1n : 1n;
  const sb = b < 0n ? -1n : 1n;
  return a * sa * x + b * sb * y === g;
}

function bezout(a: bigint, b: bigint): [bigint, bigint] {
  let [r0, r1, x0, x1, y0, y1] = [a, b, 1n, 0n, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [x0, x1] = [x1, x0 - q * x1];
    [y0, y1] = [y1, y0 - q * y1];
  }
  return [x0, y0];
}
