import { describe, expect, it } from 'vitest';
import { gcdOf } from './gcd-of.js';
import { gcdBinary } from './binary.js';
import { gcdEuclid } from './euclid.js';
import { NaiveTooLargeError } from '../errors.js';
import { gcdNaive, NAIVE_LIMIT } from './naive.js';
import { CHAPTER_NUMBERS } from '../input/chapter.js';
import { seededUint32 } from '@fanout/test-kit';
import { isGcd, randomBig } from './test-support.js';

const EDGE_NUMBERS: [number, number][] = [
  [0, 0],
  [0, 7],
  [7, 0],
  [-0, 0],
  [1, 1],
  [1, 999_983],
  [12, 12],
  [-12, 18],
  [12, -18],
  [-12, -18],
  [999_983, 1_000_003],
  [1_000_003, 1_000_003 * 6],
  [1024, 4096],
  [2 ** 20, 3 * 2 ** 7],
  [2 ** 30, 2 ** 31],
  [2 ** 31 - 1, 2 ** 31 + 1],
  [2 ** 40, 2 ** 52],
  [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1],
  [Number.MAX_SAFE_INTEGER, 3 * 3 * 7 * 11],
  [-Number.MAX_SAFE_INTEGER, 2 ** 52],
  [2 ** 52 + 4, 6],
];

/** Consecutive Fibonacci numbers: Euclid's worst case, every quotient is 1. */
function fibonacciPair(n: number): [bigint, bigint] {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return [b, a];
}

const M521 = 2n ** 521n - 1n;

const EDGE_BIGINTS: [bigint, bigint][] = [
  fibonacciPair(3000),
  fibonacciPair(3000).map((v) => v * 987654321987654321n) as [bigint, bigint],
  [M521 * 3n, M521 * 5n],
  [M521, M521 + 1n],
  [M521 * 2n ** 300n, -(2n ** 4000n)],
  [3n ** 2000n - 1n, 3n ** 1000n + 1n],
  [0n, 0n],
  [0n, -(2n ** 70n)],
  [2n ** 64n, 2n ** 100n],
  [2n ** 64n + 1n, 2n ** 64n - 1n],
  [2n ** 127n - 1n, 2n ** 89n - 1n],
  [(2n ** 127n - 1n) * 6n, (2n ** 127n - 1n) * 10n],
  [-(10n ** 30n), 10n ** 20n],
  [2n ** 53n + 1n, 2n ** 53n + 1n],
  [3n ** 200n, 6n ** 150n],
];

const fast = { euclid: gcdEuclid, binary: gcdBinary } as const;

describe.each(Object.entries(fast))('%s', (_, gcd) => {
  it('agrees with the certificate on edge-case numbers', () => {
    for (const [a, b] of EDGE_NUMBERS) {
      const g = gcd(a, b);
      expect(typeof g).toBe('number');
      expect(Object.is(g, -0)).toBe(false);
      expect(isGcd(BigInt(a), BigInt(b), BigInt(g)), `gcd(${a}, ${b}) = ${g}`).toBe(true);
    }
  });

  it('agrees with the certificate on edge-case bigints', () => {
    for (const [a, b] of EDGE_BIGINTS) {
      const g = gcd(a, b);
      expect(isGcd(a, b, g), `gcd(${a}, ${b}) = ${g}`).toBe(true);
    }
  });

  it('agrees with the certificate on random safe integers and bigints up to 4096 bits', () => {
    const next = seededUint32(6);
    for (let i = 0; i < 500; i++) {
      const common = BigInt(next() % 5000) + 1n;
      const a = randomBig(next, 1 + (next() % 30), true) * common;
      const b = randomBig(next, 1 + (next() % 22), true) * common;
      expect(isGcd(a, b, BigInt(gcd(Number(a), Number(b))))).toBe(true);
    }
    for (const bits of [64, 128, 512, 1024, 4096]) {
      for (let i = 0; i < 10; i++) {
        const common = randomBig(next, bits / 4);
        const a = randomBig(next, bits, true) * common;
        const b = randomBig(next, bits - (next() % 7), true) * common;
        expect(isGcd(a, b, gcd(a, b)), `${bits} bits`).toBe(true);
      }
    }
  });

  it('refuses unsafe, fractional and mixed inputs with errors naming the value', () => {
    expect(() => gcd(2 ** 53, 3)).toThrow(/9007199254740992 is not a safe integer/);
    expect(() => gcd(1.5, 3)).toThrow(RangeError);
    expect(() => gcd(Number.NaN, 3)).toThrow(RangeError);
    // @ts-expect-error mixing a number and a bigint is refused at compile time too
    expect(() => gcd(3, 3n)).toThrow(/two numbers or two bigints/);
  });
});

describe('gcdNaive', () => {
  it('gives the chapter numbers their known gcds', () => {
    expect(CHAPTER_NUMBERS.map(([a, b]) => gcdNaive(a, b))).toEqual([
      1, 1, 5, 1, 32, 1, 14, 9, 1, 9,
    ]);
  });

  it('agrees with Euclid and binary on edge cases and random pairs it accepts', () => {
    const next = seededUint32(64);
    const pairs: [number, number][] = [
      ...EDGE_NUMBERS.filter(([a, b]) => Math.min(Math.abs(a), Math.abs(b)) <= 100_000),
      [3, Number.MAX_SAFE_INTEGER],
    ];
    for (let i = 0; i < 300; i++) {
      const common = (next() % 97) + 1;
      pairs.push([((next() % 2000) - 1000) * common, ((next() % 1000) + 1) * common]);
    }
    for (const [a, b] of pairs) {
      const g = gcdNaive(a, b);
      expect(g, `gcd(${a}, ${b})`).toBe(gcdEuclid(a, b));
      expect(g).toBe(gcdBinary(a, b));
      expect(gcdOf([a, b], 'naive')).toBe(g);
    }
  });

  it('accepts bigints whose smaller value is small, even when the larger is huge', () => {
    expect(gcdNaive(10n, 2n ** 200n)).toBe(2n);
    expect(gcdNaive(-(3n ** 100n), 27n)).toBe(27n);
    expect(gcdNaive(0n, 2n ** 80n)).toBe(2n ** 80n);
  });

  it('refuses pairs whose countdown would be too long, suggesting a fast algorithm', () => {
    const big = NAIVE_LIMIT + 1;
    expect(() => gcdNaive(big, big + 1)).toThrow(NaiveTooLargeError);
    expect(() => gcdNaive(-big, big)).toThrow(/--algorithm euclid or --algorithm binary/);
    expect(() => gcdNaive(2n ** 64n, 2n ** 65n)).toThrow(NaiveTooLargeError);
    const error = (() => {
      try {
        gcdNaive(big, -big);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({
      name: 'NaiveTooLargeError',
      a: big,
      b: -big,
      limit: NAIVE_LIMIT,
    });
  });

  it('still accepts a zero beside a value past the limit (nothing to count down)', () => {
    expect(gcdNaive(0, NAIVE_LIMIT * 10)).toBe(NAIVE_LIMIT * 10);
  });
});
