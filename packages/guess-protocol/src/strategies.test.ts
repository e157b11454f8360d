import { describe, expect, it } from 'vitest';
import { DECISIONS, type Decision } from './codec.js';
import { decide } from './decide.js';
import { createRandom, RandomPermutation } from './random.js';
import { BisectStrategy, RandomStrategy } from './strategies.js';

/** Plays one honest game; returns the guesses needed (Infinity past `limit`). */
function play(lower: number, upper: number, secret: number, limit = 200): number {
  const strategy = new BisectStrategy(lower, upper);
  let last: number | undefined;
  for (let guesses = 1; guesses <= limit; guesses++) {
    const guess = strategy.next();
    expect(guess).toBeGreaterThanOrEqual(lower);
    expect(guess).toBeLessThanOrEqual(upper);
    const decision = decide(guess, secret, last);
    last = Math.abs(guess - secret);
    strategy.report(guess, decision);
    if (decision === 'Correct') return guesses;
  }
  return Number.POSITIVE_INFINITY;
}

describe('BisectStrategy', () => {
  it('meets the goal over 1..1000: mean <= 12, worst <= 20, for every secret', () => {
    let sum = 0;
    let worst = 0;
    for (let secret = 1; secret <= 1000; secret++) {
      const guesses = play(1, 1000, secret);
      sum += guesses;
      worst = Math.max(worst, guesses);
    }
    expect(sum / 1000).toBeLessThanOrEqual(12);
    expect(worst).toBeLessThanOrEqual(20);
  });

  it.each([
    [1, 1],
    [1, 2],
    [1, 5],
    [10, 15],
    [-50, 50],
    [0, 63],
  ])('finds every secret of %i..%i', (lower, upper) => {
    for (let secret = lower; secret <= upper; secret++) {
      expect(play(lower, upper, secret, 40)).toBeLessThan(40);
    }
  });

  it('copes with inconsistent reports: always answers, never leaves the range', () => {
    const random = createRandom(11);
    const strategy = new BisectStrategy(1, 100);
    for (let i = 0; i < 20_000; i++) {
      const guess = strategy.next();
      expect(Number.isInteger(guess) && guess >= 1 && guess <= 100).toBe(true);
      const lie = DECISIONS[Math.floor(random() * 3)] as Decision; // never Correct
      strategy.report(guess, lie);
    }
    // And an honest client still wins afterwards, from whatever state the lies left.
    let last: number | undefined;
    let won = false;
    for (let i = 0; i < 60 && !won; i++) {
      const guess = strategy.next();
      const decision = decide(guess, 42, last);
      last = Math.abs(guess - 42);
      strategy.report(guess, decision);
      won = decision === 'Correct';
    }
    expect(won).toBe(true);
  });
});

describe('RandomStrategy / RandomPermutation', () => {
  it.each([1, 2, 3, 5, 6, 17, 64, 100, 1000])('draws each of %i numbers exactly once', (size) => {
    for (const seed of [1, 2, 3]) {
      const order = new RandomPermutation(size, createRandom(seed));
      const seen = new Set<number>();
      for (let i = 0; i < size; i++) {
        const value = order.next();
        expect(value).toBeDefined();
        expect(value! >= 0 && value! < size).toBe(true);
        seen.add(value!);
      }
      expect(seen.size).toBe(size);
      expect(order.next()).toBeUndefined();
      expect(order.drawn).toBe(size);
    }
  });

  it('handles huge ranges in constant memory', () => {
    const size = 2 ** 52;
    const order = new RandomPermutation(size, createRandom(5));
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const value = order.next()!;
      expect(Number.isSafeInteger(value) && value >= 0 && value < size).toBe(true);
      seen.add(value);
    }
    expect(seen.size).toBe(1000);
  });

  it('gives different orders for different seeds, and offsets by lower', () => {
    const a = new RandomStrategy(10, 109, createRandom(1));
    const b = new RandomStrategy(10, 109, createRandom(2));
    const first = Array.from({ length: 100 }, () => a.next()!);
    const second = Array.from({ length: 100 }, () => b.next()!);
    expect(first).not.toEqual(second);
    expect([...first].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 10));
  });
});
