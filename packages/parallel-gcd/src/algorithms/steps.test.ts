import { seededUint32 } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { CHAPTER_NUMBERS } from '../input/chapter.js';
import { GCD_ALGORITHMS, type GcdAlgorithm, type GcdPair } from '../types.js';
import { gcdBinary } from './binary.js';
import { gcdOf, gcdSteps, isHeavyPair } from './gcd-of.js';
import { NAIVE_LIMIT } from './naive.js';
import { isGcd, randomBig } from './test-support.js';

/** Drives steps to the end, pausing where a seeded coin says; returns the result and pauses. */
function drive(pair: GcdPair, algorithm: GcdAlgorithm, seed: number, odds: number) {
  const next = seededUint32(seed);
  const steps = gcdSteps(pair, algorithm);
  let asked = 0;
  let paused = 0;
  const pause = (): boolean => {
    asked++;
    return next() % odds === 0;
  };
  while (!steps.advance(pause)) paused++;
  return { result: steps.result, asked, paused };
}

describe('gcdSteps', () => {
  it('gives the results of gcdOf however often it is paused, for every algorithm (20 seeds)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const next = seededUint32(seed * 7919);
      const pairs: GcdPair[] = [
        [next() % 100_000, next() % 100_000],
        [0, 5],
        [0n, -(2n ** 90n)],
      ];
      for (let i = 0; i < 6; i++) {
        const common = randomBig(next, 1 + (next() % 2000));
        pairs.push([
          randomBig(next, 1 + (next() % 12_000), true) * common,
          randomBig(next, 1 + (next() % 12_000), true) * common,
        ]);
      }
      for (const algorithm of ['euclid', 'binary'] as const) {
        for (const pair of pairs) {
          const { result } = drive(pair, algorithm, seed, 1 + (seed % 4));
          expect(result).toBe(gcdOf(pair, algorithm));
          expect(isGcd(BigInt(pair[0]), BigInt(pair[1]), BigInt(result))).toBe(true);
        }
      }
    }
  });

  it('counts down in pauses of 65,536 steps, to the value gcdNaive finds', () => {
    // gcd(4999999, 4999993) = 1, so the countdown runs from ~35 million all the way to 7.
    const pair: GcdPair = [4_999_999 * 7, 4_999_993 * 7];
    const { result, asked, paused } = drive(pair, 'naive', 3, 1);
    expect(result).toBe(gcdOf(pair, 'naive'));
    expect(result).toBe(7);
    // Paused at every check: one check per 65,536 steps of the ~35 million counted down.
    expect(paused).toBe(asked);
    expect(asked).toBeGreaterThan(400);
    expect(drive([12n, 18n], 'naive', 1, 1).result).toBe(6n);
  });

  it('asks nothing for cheap pairs and zeros, and throws input errors at once', () => {
    for (const algorithm of GCD_ALGORITHMS) {
      expect(drive([12, 18], algorithm, 1, 1)).toEqual({ result: 6, asked: 0, paused: 0 });
      expect(drive([0n, 0n], algorithm, 1, 1).result).toBe(0n);
    }
    expect(() => gcdSteps([1, 2n] as unknown as GcdPair, 'euclid')).toThrow(
      /two numbers or two bigints/,
    );
    expect(() => gcdSteps([NAIVE_LIMIT + 1, NAIVE_LIMIT + 2], 'naive')).toThrow(/pair|limit/);
  });

  it('pauses inside one huge gcd, never running long between checks', () => {
    const next = seededUint32(5);
    const pair: GcdPair = [randomBig(next, 40_000), randomBig(next, 40_000)];
    for (const algorithm of ['euclid', 'binary'] as const) {
      const { result, asked } = drive(pair, algorithm, 9, 2);
      expect(result).toBe(gcdOf(pair, algorithm));
      // Euclid asks after every Lehmer round (~25 bits each), binary every 8 rounds (>= 8 bits).
      expect(asked).toBeGreaterThan(algorithm === 'euclid' ? 800 : 2000);
    }
  });
});

describe('gcdBinary on values with many trailing zero bits', () => {
  it('finds the shared power of two without a pass per zero word', () => {
    expect(gcdBinary(2n ** 300_000n, 3n * 2n ** 200_000n)).toBe(2n ** 200_000n);
    expect(gcdBinary(2n ** 64n * 5n, 2n ** 96n * 15n)).toBe(2n ** 64n * 5n);
  });
});

describe('isHeavyPair', () => {
  it('keeps the chapter pairs and all safe numbers on the quick path', () => {
    for (const pair of CHAPTER_NUMBERS) expect(isHeavyPair(pair, 'naive')).toBe(false);
    expect(isHeavyPair([Number.MAX_SAFE_INTEGER, 3], 'euclid')).toBe(false);
    expect(isHeavyPair([2n ** 8191n, 3n], 'binary')).toBe(false);
  });

  it('names long countdowns and bigints of 8192 bits or more', () => {
    expect(isHeavyPair([2 ** 23, 2 ** 23 + 1], 'naive')).toBe(true);
    expect(isHeavyPair([-(2 ** 23), 2 ** 24], 'naive')).toBe(true);
    expect(isHeavyPair([2 ** 23, 5], 'naive')).toBe(false);
    expect(isHeavyPair([3n, -(2n ** 8192n)], 'euclid')).toBe(true);
    expect(isHeavyPair([2n ** 9000n, 2n ** 9000n], 'naive')).toBe(true);
  });
});
