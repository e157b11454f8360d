import { NaiveTooLargeError } from '../errors.js';
import type { GcdValue } from '../types.js';
import { absPair } from './integers.js';
import { finished, type GcdSteps } from './steps.js';

/**
 * Largest min(|a|, |b|) that `gcdNaive` accepts: 10^8. The countdown takes up to that many
 * steps (two remainders each), about 0.3 s on a current core and several seconds when the
 * larger value is past 2^31, so anything above it is refused rather than left to run for
 * minutes.
 */
export const NAIVE_LIMIT = 100_000_000;

/** Countdown steps between two pause checks of `naiveSteps` (~0.2 ms of work). */
const STEPS_PER_CHECK = 1 << 16;

/**
 * The chapter's deliberately slow gcd, a stand-in for heavy CPU work: count down from
 * min(|a|, |b|) to the first number dividing both. Defined where the chapter is not:
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
  const start = countdownStart(a, b);
  if (start.zero !== undefined) return start.zero;
  const found = scanDown(start.low, start.other, start.low, 1) || 1;
  return start.bigint ? BigInt(found) : found;
}

/** `gcdNaive` in steps (see `gcdSteps`): the countdown pauses every 65,536 trial divisions. */
export function naiveSteps(a: number | bigint, b: number | bigint): GcdSteps {
  const start = countdownStart(a, b);
  if (start.zero !== undefined) return finished(start.zero);
  const { low, other, bigint } = start;
  let next = low;
  let found = 0;
  return {
    advance(pause) {
      while (found === 0) {
        const stop = Math.max(1, next - STEPS_PER_CHECK);
        found = scanDown(low, other, next, stop) || (stop === 1 ? 1 : 0);
        next = stop;
        if (found === 0 && pause()) return false;
      }
      return true;
    },
    get result() {
      return bigint ? BigInt(found) : found;
    },
  };
}

/** Where the countdown starts: two numbers, or the answer at once when one value is 0. */
type CountdownStart =
  | { zero: GcdValue }
  | { zero: undefined; low: number; other: number; bigint: boolean };

function countdownStart(a: number | bigint, b: number | bigint): CountdownStart {
  const pair = absPair('gcdNaive', a, b);
  checkNaive(a, b);
  if (typeof pair[0] === 'bigint') {
    const [x, y] = pair as [bigint, bigint];
    if (x === 0n || y === 0n) return { zero: x + y };
    // The smaller value fits a number (it is at most NAIVE_LIMIT); the larger may not, so
    // replace it by its remainder: i divides both x and y exactly when it divides the
    // smaller one and that remainder, so the countdown visits the very same steps.
    const [low, high] = x < y ? [x, y] : [y, x];
    return { zero: undefined, low: Number(low), other: Number(high % low), bigint: true };
  }
  const [x, y] = pair as [number, number];
  if (x === 0 || y === 0) return { zero: x + y };
  return x < y
    ? { zero: undefined, low: x, other: y, bigint: false }
    : { zero: undefined, low: y, other: x, bigint: false };
}

/**
 * Throws `NaiveTooLargeError` when `gcdNaive(a, b)` would refuse the pair. Runners call it
 * on every pair before they compute it, so a refusal happens at once and not after minutes.
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

/** Largest min(|a|, |b|) that a runner counts down in one go (~12 ms here); above, in steps. */
export const NAIVE_STEPS_AT_ONCE = 1 << 22;

/**
 * The first i with from ≥ i > stop that divides both `low` and `other`, or 0. Every step
 * does real work whose result decides when the loop stops, so the JIT cannot drop or
 * shorten it.
 */
function scanDown(low: number, other: number, from: number, stop: number): number {
  for (let i = from; i > stop; i--) {
    if (low % i === 0 && other % i === 0) return i;
  }
  return 0;
}
