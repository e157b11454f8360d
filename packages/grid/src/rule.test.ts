import { describe, expect, it } from 'vitest';
import { RuleSyntaxError } from './errors.js';
import { CONWAY, formatRule, parseRule, ruleMask, rulesEqual } from './rule.js';

describe('parseRule', () => {
  it.each([
    ['B3/S23', [3], [2, 3]],
    ['b36/s23', [3, 6], [2, 3]],
    ['B3S23', [3], [2, 3]],
    ['B2/S', [2], []],
    ['S23/B3', [3], [2, 3]],
    ['23/3', [3], [2, 3]],
    [' B0123478/S34678 ', [0, 1, 2, 3, 4, 7, 8], [3, 4, 6, 7, 8]],
    ['B/S012345678', [], [0, 1, 2, 3, 4, 5, 6, 7, 8]],
  ])('reads %j', (text, birth, survival) => {
    expect(parseRule(text)).toEqual({ birth, survival });
  });

  it.each([
    ['', 'empty', 0],
    ['B39/S23', 'birth count 9 is not a neighbour count', 3],
    ['B33/S23', 'birth count 3 appears twice', 3],
    ['B3/S2x', 'unexpected "x" in the survival counts', 6],
    ['B3/B23', '"B" appears twice', 0],
    ['Life', 'unexpected "L"', 1],
    ['B3/S23/', 'expected B<counts>/S<counts>', 0],
  ])('rejects %j saying what is wrong', (text, message, column) => {
    let error: unknown;
    try {
      parseRule(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RuleSyntaxError);
    expect((error as RuleSyntaxError).message).toContain(message);
    expect((error as RuleSyntaxError).column).toBe(column);
    expect((error as RuleSyntaxError).text).toBe(text);
  });
});

describe('formatRule', () => {
  it('writes the canonical form and round-trips', () => {
    expect(formatRule(CONWAY)).toBe('B3/S23');
    expect(formatRule(parseRule('s23/b36'))).toBe('B36/S23');
    expect(formatRule(parseRule('B2/S'))).toBe('B2/S');
    expect(rulesEqual(parseRule('23/3'), CONWAY)).toBe(true);
  });

  it('ruleMask rejects counts outside 0-8', () => {
    expect(() => ruleMask({ birth: [9], survival: [] })).toThrow(RangeError);
    expect(ruleMask(CONWAY)).toBe((1 << 3) | (1 << 11) | (1 << 12));
  });
});
