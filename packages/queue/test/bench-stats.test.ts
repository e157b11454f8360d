import { seededRandom } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { balancedOrder, bootstrapMedianInterval, median } from '../bench/stats.js';

describe('the overhead bench statistics', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('gives a reproducible interval that holds the median and lies within the values', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 25 }, () => 0.8 + random() * 0.5);
    const [low, high] = bootstrapMedianInterval(values, { seed: 3 });
    expect(bootstrapMedianInterval(values, { seed: 3 })).toEqual([low, high]);
    expect(low).toBeLessThanOrEqual(median(values));
    expect(high).toBeGreaterThanOrEqual(median(values));
    expect(low).toBeGreaterThanOrEqual(Math.min(...values));
    expect(high).toBeLessThanOrEqual(Math.max(...values));
    expect(low).toBeLessThan(high);
  });

  it('narrows as rounds are added to the same spread', () => {
    const random = seededRandom(11);
    const draw = (n: number) => Array.from({ length: n }, () => 0.8 + random() * 0.5);
    const width = ([low, high]: [number, number]) => high - low;
    expect(width(bootstrapMedianInterval(draw(400)))).toBeLessThan(
      width(bootstrapMedianInterval(draw(9))),
    );
  });

  it('is a single point when every round gave the same ratio', () => {
    expect(bootstrapMedianInterval([1.05, 1.05, 1.05])).toEqual([1.05, 1.05]);
  });
});

describe('the overhead bench row order', () => {
  for (const n of [2, 3, 4, 5, 6]) {
    it(`with ${n} rows, puts each row in each place and after each other row equally often`, () => {
      const cycle = n % 2 === 0 ? n : 2 * n;
      const places = new Map<string, number>();
      const follows = new Map<string, number>();
      for (let round = 0; round < cycle; round++) {
        const order = balancedOrder(n, round);
        expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        order.forEach((row, place) => {
          places.set(`${row}@${place}`, (places.get(`${row}@${place}`) ?? 0) + 1);
          if (place > 0) {
            const pair = `${order[place - 1]}>${row}`;
            follows.set(pair, (follows.get(pair) ?? 0) + 1);
          }
        });
      }
      expect(places.size).toBe(n * n);
      expect(new Set(places.values())).toEqual(new Set([cycle / n]));
      expect(follows.size).toBe(n * (n - 1));
      expect(new Set(follows.values()).size).toBe(1);
    });
  }
});
