import { describe, expect, it } from 'vitest';
import { PatternSyntaxError, PatternTooLargeError, PatternUnsupportedError } from '../errors.js';
import { Grid } from '../grid.js';
import { placePattern } from '../place.js';
import { parseRule } from '../rule.js';
import { formatBoundedGrid, gollyOffset, readBoundedGrid } from './bounded-grid.js';
import { parseRle } from './rle-reader.js';
import { formatRle } from './rle-writer.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe("Golly's bounded-grid suffix", () => {
  it('reads a torus and a plane, width first, one number meaning a square, any case', () => {
    expect(readBoundedGrid('T2048,2048')).toEqual({ topology: 'torus', width: 2048, height: 2048 });
    expect(readBoundedGrid('P30,20')).toEqual({ topology: 'plane', width: 30, height: 20 });
    expect(readBoundedGrid('p30')).toEqual({ topology: 'plane', width: 30, height: 30 });
    expect(readBoundedGrid('t5,7')).toEqual({ topology: 'torus', width: 5, height: 7 });
    expect(formatBoundedGrid({ topology: 'torus', width: 30, height: 20 })).toBe(':T30,20');
    expect(formatBoundedGrid({ topology: 'plane', width: 1, height: 2 })).toBe(':P1,2');
  });

  it.each([
    ['K30*,20', 'unsupported', /Klein bottle/],
    ['K30,20*', 'unsupported', /Klein bottle/],
    ['C30,20', 'unsupported', /cross-surface/],
    ['S30', 'unsupported', /sphere/],
    ['T30+5,20', 'unsupported', /shifted edges/],
    ['T30,20-2', 'unsupported', /shifted edges/],
    ['P30,0', 'unsupported', /infinite height/],
    ['T0,20', 'unsupported', /infinite width/],
    ['X30,20', 'syntax', /unknown bounded grid ":X30,20"/],
    ['T30,', 'syntax', /expected a bounded grid like ":T64,32"/],
    ['T', 'syntax', /expected a bounded grid/],
    ['P30*,20', 'syntax', /twisted edge/],
    ['T3000000000', 'syntax', /larger than Golly allows/],
  ])('refuses :%s (%s)', (suffix, kind, problem) => {
    const read = readBoundedGrid(suffix);
    expect(read).toMatchObject({ kind, problem: expect.stringMatching(problem) });
  });

  it('places a pattern where Golly does', () => {
    // Golly: a grid's top-left cell is (-floor(w/2), -floor(h/2)); a box that fits has its
    // top-left at (-floor(bw/2), -floor(bh/2)).
    expect(gollyOffset({ width: 3, height: 3 }, { width: 10, height: 10 })).toEqual({ x: 4, y: 4 });
    expect(gollyOffset({ width: 4, height: 1 }, { width: 9, height: 5 })).toEqual({ x: 2, y: 2 });
    expect(gollyOffset({ width: 20, height: 3 }, { width: 10, height: 10 })).toEqual({
      x: 0,
      y: 0,
    });
    expect(
      gollyOffset({ width: 3, height: 3, position: [-5, -5] }, { width: 10, height: 10 }),
    ).toEqual({ x: 0, y: 0 });
    expect(gollyOffset({ width: 0, height: 0 }, { width: 10, height: 10 })).toEqual({ x: 0, y: 0 });
  });
});

describe('RLE with Golly extensions', () => {
  it('loads the header Golly writes for a bounded world', () => {
    const pattern = parseRle('x = 2048, y = 2048, rule = B3/S23:T2048,2048\n3o!\n');
    expect(pattern.boundedGrid).toEqual({ topology: 'torus', width: 2048, height: 2048 });
    expect(pattern.rule).toEqual(parseRule('B3/S23'));
    expect([pattern.width, pattern.height]).toEqual([2048, 2048]);
    expect(parseRle('x = 3, y = 1, rule = b36/s23:p40,30,\no!').boundedGrid).toEqual({
      topology: 'plane',
      width: 40,
      height: 30,
    });
    expect(parseRle('#r B3/S23:T8,6\no!').boundedGrid).toEqual({
      topology: 'torus',
      width: 8,
      height: 6,
    });
  });

  it('names the line and column of a suffix it cannot run, with the kind of problem', () => {
    const klein = thrown(() =>
      parseRle('#N k\nx = 3, y = 3, rule = B3/S23:K30*,20\no!', { fileName: 'k.rle' }),
    );
    expect(klein).toBeInstanceOf(PatternUnsupportedError);
    expect(klein).toMatchObject({ line: 2, column: 29, fileName: 'k.rle', format: 'rle' });
    expect((klein as Error).message).toMatch(/^k\.rle:2:29: Golly's Klein bottle grid/);
    const unknown = thrown(() => parseRle('x = 3, y = 3, rule = B3/S23:Q30\no!'));
    expect(unknown).toBeInstanceOf(PatternSyntaxError);
    expect(unknown).toMatchObject({ line: 1, column: 29 });
    const rule = thrown(() => parseRle('x = 3, y = 3, rule = B9/S23:T4,4\no!'));
    expect(rule).toBeInstanceOf(PatternSyntaxError);
    expect(rule).toMatchObject({ column: 23 });
  });

  it('reads #CXRLE Pos and Gen, #O and other # lines, and writes them back', () => {
    const text = [
      '#CXRLE Pos=-5,-3 Gen=123456789012345678901',
      '#N Blinker',
      '#O John Conway',
      '#C A period 2 oscillator.',
      '#C',
      '#C On a small torus.',
      '#P 1 2',
      '#Z other program',
      'x = 3, y = 1, rule = B3/S23:T10,6',
      '3o!',
      '',
    ].join('\n');
    const pattern = parseRle(text);
    expect(pattern).toMatchObject({
      name: 'Blinker',
      author: 'John Conway',
      comments: ['A period 2 oscillator.', '', 'On a small torus.'],
      position: [-5, -3],
      generation: 123456789012345678901n,
      extraLines: ['#P 1 2', '#Z other program'],
      boundedGrid: { topology: 'torus', width: 10, height: 6 },
    });
    expect(formatRle(pattern)).toBe(text);
    // Placed at Pos: the grid's top-left cell is (-5, -3).
    expect(placePattern(pattern, { height: 6, width: 10, at: 'golly' }).liveCells()).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
  });

  it('writes a Grid with its size and topology, and reads it back the same', () => {
    for (const topology of ['torus', 'plane'] as const) {
      const grid = Grid.fromCells(
        5,
        7,
        [
          [0, 0],
          [6, 4],
          [3, 2],
        ],
        { topology },
      );
      const text = formatRle(grid);
      expect(text.split('\n')[0]).toBe(
        `x = 7, y = 5, rule = B3/S23:${topology === 'torus' ? 'T' : 'P'}7,5`,
      );
      const back = parseRle(text);
      expect(placePattern(back, { ...back.boundedGrid!, at: 'golly' }).equals(grid)).toBe(true);
    }
  });
});

describe('pattern limits, checked while reading', () => {
  it('refuses a run of more live cells than may be read, before storing them', () => {
    const error = thrown(() => parseRle('x = 3, y = 3\n999999999o!', { fileName: 'many.rle' }));
    expect(error).toBeInstanceOf(PatternTooLargeError);
    expect(error).toMatchObject({ line: 2, column: 1, fileName: 'many.rle', limit: 2 ** 24 });
    expect((error as Error).message).toMatch(
      /^many\.rle:2:1: the pattern has more than 16777216 live cells/,
    );
    expect(() => parseRle('2o$3o!', { maxLiveCells: 4 })).toThrow(PatternTooLargeError);
    expect(parseRle('2o$2o!', { maxLiveCells: 4 }).liveCells).toHaveLength(4);
  });

  it('refuses runs and headers past the largest coordinate, however many digits', () => {
    const long = thrown(() => parseRle('o$12345678901234567890123o!', { fileName: 'l.rle' }));
    expect(long).toBeInstanceOf(PatternTooLargeError);
    expect(long).toMatchObject({ line: 1, column: 3 });
    expect((long as Error).message).toContain('a run of 12345678901234567890123 cells');
    expect(() => parseRle('12345678901234567890123$o!')).toThrow(/rows reaches row/);
    expect(() => parseRle('1073741824bo!')).toThrow(PatternTooLargeError);
    expect(parseRle('1073741823bo!').width).toBe(2 ** 30);
    const header = thrown(() => parseRle('x = 99999999999999999999, y = 1\no!'));
    expect(header).toMatchObject({ code: 'FANOUT_PATTERN_TOO_LARGE', line: 1, column: 5 });
    // A large box with few cells is fine: it is what an unbounded world holds.
    const far = parseRle('x = 1000000000, y = 1000000000\n999999999$o!');
    expect([far.width, far.height, far.liveCells]).toEqual([1e9, 1e9, [[0, 999_999_999]]]);
  });
});
