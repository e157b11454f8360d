/** Input checks shared by the three algorithms; they name the function and the value. */
import { describeInteger } from './bits.js';

/** Absolute values of two same-typed integers, or a TypeError/RangeError naming the problem. */
export function absPair(fn: string, a: number, b: number): [number, number];
export function absPair(fn: string, a: bigint, b: bigint): [bigint, bigint];
export function absPair(fn: string, a: unknown, b: unknown): [number, number] | [bigint, bigint];
export function absPair(fn: string, a: unknown, b: unknown): [number, number] | [bigint, bigint] {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    return [a < 0n ? -a : a, b < 0n ? -b : b];
  }
  if (typeof a === 'number' && typeof b === 'number') {
    checkSafe(fn, a);
    checkSafe(fn, b);
    // Math.abs also turns -0 into 0, so gcd(-0, 0) is 0 and not -0.
    return [Math.abs(a), Math.abs(b)];
  }
  throw new TypeError(
    `${fn}: expected two numbers or two bigints, got ${describe(a)} and ${describe(b)}`,
  );
}

function checkSafe(fn: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `${fn}: ${String(value)} is not a safe integer; pass bigints for values past 2^53`,
    );
  }
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') {
    const shown = describeInteger(value);
    return `bigint ${/^-?\d+$/.test(shown) ? `${shown}n` : shown}`;
  }
  return `${typeof value} ${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value)}`;
}
