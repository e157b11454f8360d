import { seededRandom } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { formatCount } from '../src/output.js';

describe('formatCount', () => {
  it('groups digits exactly as en-US toLocaleString does', () => {
    const random = seededRandom(18);
    const values = [0, 1, 12, 999, 1000, 1234567.8, -1000, -999, 999.5, 2_400_000, 2 ** 53 - 1];
    for (let i = 0; i < 500; i++) values.push((random() - 0.3) * 10 ** Math.floor(random() * 16));
    for (const v of values) {
      expect(formatCount(v), String(v)).toBe(Math.round(v).toLocaleString('en-US'));
    }
  });

  it('falls back to toLocaleString for what is not a safe integer', () => {
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, 1e20]) {
      expect(formatCount(v)).toBe(Math.round(v).toLocaleString('en-US'));
    }
  });
});
