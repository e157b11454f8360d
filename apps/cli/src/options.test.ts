import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { age, decimal, duration, integer, nonEmpty, port, size } from './options.js';

describe('flag value parsers', () => {
  it('integer accepts digits in range only', () => {
    const parse = integer(1, 10);
    expect(parse('7')).toBe(7);
    expect(parse(' 10 ')).toBe(10);
    for (const bad of ['0', '11', '-1', '2.5', '1e3', 'x', '', '0x5']) {
      expect(() => parse(bad), bad).toThrow(InvalidArgumentError);
    }
    expect(() => integer(0)('99999999999999999999')).toThrow(InvalidArgumentError);
  });

  it('decimal accepts plain decimals in range', () => {
    const parse = decimal(0, 1);
    expect(parse('0.25')).toBe(0.25);
    expect(parse('.5')).toBe(0.5);
    expect(parse('1')).toBe(1);
    for (const bad of ['1.01', '-0.1', 'NaN', 'Infinity', '1e-3', 'half']) {
      expect(() => parse(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it('port accepts 0..65535', () => {
    expect(port('0')).toBe(0);
    expect(port('65535')).toBe(65535);
    expect(() => port('65536')).toThrow(InvalidArgumentError);
  });

  it('size parses HxW as height and width', () => {
    expect(size('5x9')).toEqual({ height: 5, width: 9 });
    expect(size('64X32')).toEqual({ height: 64, width: 32 });
    for (const bad of ['5', '0x9', '5x0', '5*9', 'x9', '5x9x1']) {
      expect(() => size(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it('nonEmpty refuses blank values', () => {
    expect(nonEmpty('a')).toBe('a');
    expect(() => nonEmpty('  ')).toThrow(InvalidArgumentError);
  });

  it('duration: ms, s, m, h, d or bare seconds, above 0 and up to 24 hours', () => {
    expect(duration('500ms')).toBe(500);
    expect(duration('10')).toBe(10_000);
    expect(duration('2m')).toBe(120_000);
    expect(duration('1.5h')).toBe(5_400_000);
    for (const bad of ['0', '0s', '25h', '2d', 'soon', '-1s', '']) {
      expect(() => duration(bad)).toThrow(InvalidArgumentError);
    }
  });

  it('age: the same units, zero allowed, days too, whole milliseconds', () => {
    expect(age('7d')).toBe(604_800_000);
    expect(age('0')).toBe(0);
    expect(age('1.0005s')).toBe(1001);
    for (const bad of ['-1d', '3w', 'old']) {
      expect(() => age(bad)).toThrow(/30s, 10m, 2h or 7d/);
    }
  });
});
