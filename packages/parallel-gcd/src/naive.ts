import { NaiveTooLargeError } from './errors.js';
import { absPair } from './integers.js';

/**
 * Largest min(|a|, |b|) that `gcdNaive` accepts: 10^8. The countdown takes up to that many
 * steps (two remainders each), about 0.3 s on a current core and several seconds when the
 * larger value is past 2^31, so anything above it is refused rather than left to run for
 * minutes.
 */
export const NAIVE_LIMIT = 100_000_000;

/**
 * The seed's deliberately slow gcd, a stand-in for heavy CPU work: count down from
 * min(|a|, |b|) to the first number dividing both. Defined where the seed is not:
 * gcd(0, n) = |n|, gcd(0, 0) = 0, negatives by absolute value. Refuses pairs whose
 * min(|a|, |b|) exceeds `NAIVE_LIMIT` with `NaiveTooLargeError`.
 *
 * @example
 * gcdNaive(1823712, 1924928); // 32, after ~1.8 million trial divisions
 * gcdNaive(12n, -18n); // 6n
 */
export function gcdNaive(a: number, b: number): number;
export function gcdNaive(a: bigint, b: bigint): bigint;
export function gcdNaive(a: number | bigint, b: number | bigint): number | bigint {
  const pair = absPair('gcdNaive', a, b);
  checkNaive(a, b);
  if (typeof pair[0] === 'bigint') {
    const [x, y] = pair as [bigint, bigint];
    if (x === 0n || y === 0n) return x + y;
    // The smaller value fits a number (it is at most NAIVE_LIMIT); the larger may not, so
    // replace it by its remainder: i divides both x and y exactly when it divides the
    // smaller one and that remainder, so the countdown visits the very same steps.
    const [low, high] = x < y ? [x, y] : [y, x];
    return BigInt(countdown(Number(low), Number(high % low)));
  }
  const [x, y] = pair as [number, number];
  if (x === 0 || y === 0) return x + y;
  return x < y ? countdown(x, y) : countdown(y, x);
}

/**
 * Throws `NaiveTooLargeError` when `gcdNaive(a, b)` would refuse the pair. Runners call it
 * on every pair before they start, so a refusal happens at once and not after minutes.
 */
export function checkNaive(a: number | bigint, b: number | bigint, index?: number): void {
  const x = a < 0 ? -a : a;
  const y = b < 0 ? -b : b;
  if (x > NAIVE_LIMIT && y > NAIVE_LIMIT) {
    throw new NaiveTooLargeError(
      a,
      b,
      index === undefined ? { limit: NAIVE_LIMIT } : { limit: NAIVE_LIMIT, index },
    );
  }
}

/**
 * Count down from `low` to the first value dividing both. Every step does real work whose
 * result decides when the loop stops, so the JIT cannot drop or shorten it.
 */
function countdown(low: number, other: number): number {
  for (let i = low; i > 1; i--) {
    if (low % i === 0 && other % i === 0) return i;
  }
  return 1;
}
