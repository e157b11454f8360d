import { absPair } from './integers.js';
import { euclidBig } from './lehmer.js';

/**
 * Greatest common divisor by Euclid's remainder algorithm: O(log min) steps. Bigints past
 * 128 bits take Lehmer's steps (many remainder steps at once on their leading bits).
 * gcd(0, n) = |n|, gcd(0, 0) = 0, signs are ignored. Numbers must be safe integers;
 * pass bigints (both halves) for anything larger.
 *
 * @example
 * gcdEuclid(1963309, 2265973); // 1
 * gcdEuclid(2n ** 100n, 6n ** 50n); // 1125899906842624n (2^50)
 */
export function gcdEuclid(a: number, b: number): number;
export function gcdEuclid(a: bigint, b: bigint): bigint;
export function gcdEuclid(a: number | bigint, b: number | bigint): number | bigint {
  const pair = absPair('gcdEuclid', a, b);
  if (typeof pair[0] === 'bigint') {
    const [x, y] = pair as [bigint, bigint];
    return euclidBig(x, y);
  }
  let [x, y] = pair as [number, number];
  while (y !== 0) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}
