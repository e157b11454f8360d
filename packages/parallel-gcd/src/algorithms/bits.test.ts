import { seededUint32 } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { bitLength, decimalDigits, describeInteger } from './bits.js';
import { randomBig } from './test-support.js';

describe('bitLength', () => {
  it('counts the bits of bigints exactly, around every power of two', () => {
    expect(bitLength(0n)).toBe(0);
    for (let k = 0; k < 600; k++) {
      expect(bitLength(1n << BigInt(k))).toBe(k + 1);
      if (k > 0) expect(bitLength((1n << BigInt(k)) - 1n)).toBe(k);
    }
  });
});

describe('decimalDigits', () => {
  it('is exact on both sides of every power of ten up to 10^1500', () => {
    expect(decimalDigits(0)).toBe(1);
    expect(decimalDigits(0n)).toBe(1);
    for (let k = 1; k <= 1500; k++) {
      const power = 10n ** BigInt(k);
      expect(decimalDigits(power - 1n), `10^${k} - 1`).toBe(k);
      expect(decimalDigits(power), `10^${k}`).toBe(k + 1);
      expect(decimalDigits(-power - 1n)).toBe(k + 1);
    }
  });

  it('agrees with the printed length of random values and safe numbers', () => {
    const next = seededUint32(91);
    for (let i = 0; i < 400; i++) {
      const v = randomBig(next, 1 + (next() % 5000), true);
      expect(decimalDigits(v)).toBe((v < 0n ? -v : v).toString().length);
    }
    for (const n of [7, -12, 99_999, 2 ** 53 - 1, -(2 ** 40)]) {
      expect(decimalDigits(n)).toBe(String(Math.abs(n)).length);
    }
  });
});

describe('describeInteger', () => {
  it('prints up to 40 digits and names longer values by their size', () => {
    expect(describeInteger(12)).toBe('12');
    expect(describeInteger(-(10n ** 39n))).toBe(`-${10n ** 39n}`);
    expect(describeInteger(10n ** 40n)).toBe('a 41-digit integer');
    expect(describeInteger(-(10n ** 449_999n))).toBe('a negative 450000-digit integer');
  });
});
