import { describe, expect, it } from 'vitest';
import { builtinPatternNames, builtinPatterns, getBuiltinPattern } from './builtins.js';
import { detectPatternFormat, parsePattern } from './detect.js';
import { Grid } from '../grid.js';
import { formatLife106, parseLife106 } from './life106.js';
import { PatternSyntaxError, UnknownPatternError } from '../errors.js';
import type { Pattern } from './pattern.js';
import { placePattern } from '../place.js';
import { formatPlaintext, parsePlaintext } from './plaintext.js';
import { parseRle } from './rle-reader.js';
import { formatRle } from './rle-writer.js';
import { parseRule } from '../rule.js';

const GLIDER_CELLS = [
  [1, 0],
  [2, 1],
  [0, 2],
  [1, 2],
  [2, 2],
];

function syntaxError(read: () => unknown): PatternSyntaxError {
  try {
    read();
  } catch (error) {
    if (error instanceof PatternSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a PatternSyntaxError');
}

describe('parseRle (lenient)', () => {
  it('reads the header, #N, #C, #O and the rule', () => {
    const pattern = parseRle(
      '#N Glider\n#C A small spaceship.\n#O Richard K. Guy\nx = 3, y = 3, rule = B36/S23\nbo$2bo$3o!\n',
    );
    expect(pattern.name).toBe('Glider');
    expect(pattern.comments).toEqual(['A small spaceship.']);
    expect(pattern.author).toBe('Richard K. Guy');
    expect(pattern.rule).toEqual(parseRule('B36/S23'));
    expect(pattern.liveCells).toEqual(GLIDER_CELLS);
    expect([pattern.width, pattern.height]).toEqual([3, 3]);
  });

  it('reads without a header, with whitespace and line breaks between items, and without !', () => {
    const pattern = parseRle('b o $\n 2b\no\r\n$3\no');
    expect(pattern.liveCells).toEqual(GLIDER_CELLS);
    expect(pattern.rule).toBeUndefined();
  });

  it('reads counts before $, #r rules, the old S/B header rule and ignores text after !', () => {
    expect(parseRle('o3$o!').liveCells).toEqual([
      [0, 0],
      [0, 3],
    ]);
    expect(parseRle('#r 23/36\no!').rule).toEqual(parseRule('B36/S23'));
    expect(parseRle('x=1,y=1,rule=23/3\no! trailing words $$ xyz').rule).toEqual(
      parseRule('B3/S23'),
    );
  });

  it('keeps a header box larger than the cells (the seed demo is a whole 5x9 world)', () => {
    const pattern = parseRle('x = 9, y = 5\n3bo$4bo$2b3o!');
    expect([pattern.width, pattern.height]).toEqual([9, 5]);
  });

  it('reports malformed files with line and column', () => {
    const bad = syntaxError(() => parseRle('x = 3, y = 3\nbo$2bo$3q!', { fileName: 'g.rle' }));
    expect([bad.line, bad.column, bad.fileName, bad.format]).toEqual([2, 9, 'g.rle', 'rle']);
    expect(bad.message).toBe('g.rle:2:9: unexpected "q" in the RLE data (expected b, o, $ or !)');

    const count = syntaxError(() => parseRle('bo$\n2bo$12'));
    expect([count.line, count.column]).toEqual([2, 5]);
    expect(count.message).toContain('run count 12 is not followed');

    const header = syntaxError(() => parseRle('x = 3, y = three\no!'));
    expect([header.line, header.column]).toEqual([1, 12]);

    const rule = syntaxError(() => parseRle('x = 3, y = 3, rule = B3/S29\no!'));
    expect([rule.line, rule.column]).toEqual([1, 27]);
    expect(rule.cause).toBeInstanceOf(Error);

    expect(syntaxError(() => parseRle('0o!')).message).toContain('a run count of 0');
  });
});

describe('formatRle (strict)', () => {
  it('writes the header with the rule and ends with !', () => {
    expect(formatRle(getBuiltinPattern('glider'))).toBe(
      '#N Glider\nx = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n',
    );
    expect(
      formatRle(Grid.fromCells(2, 4, [[3, 1]]), { rule: parseRule('B36/S23'), name: 'dot' }),
    ).toBe('#N dot\nx = 4, y = 2, rule = B36/S23:T4,2\n$3bo!\n');
    expect(formatRle(Grid.fromCells(2, 4, [[3, 1]]), { boundedGrid: false })).toBe(
      'x = 4, y = 2, rule = B3/S23\n$3bo!\n',
    );
  });

  it('keeps lines within 70 characters and never splits a run', () => {
    const cells: [number, number][] = [];
    for (let y = 0; y < 40; y += 2) for (let x = 0; x < 200; x += 3) cells.push([x, y]);
    const grid = Grid.fromCells(40, 200, cells);
    const text = formatRle(grid);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(70);
    expect(text.split('\n').length).toBeGreaterThan(20);
    const back = parseRle(text);
    expect(placePattern(back, { height: 40, width: 200 }).equals(grid)).toBe(true);
  });

  it('round-trips every built-in pattern', () => {
    for (const name of builtinPatternNames) {
      expect(parseRle(formatRle(builtinPatterns[name]))).toEqual(builtinPatterns[name]);
    }
  });
});

describe('plaintext .cells', () => {
  it('reads names, comments and rows; leniently accepts * o - and trailing blanks', () => {
    const pattern = parsePlaintext('!Name: Glider\n!A comment\n.O.\n..O  \nOOO\n\n');
    expect(pattern.name).toBe('Glider');
    expect(pattern.comments).toEqual(['A comment']);
    expect(pattern.liveCells).toEqual(GLIDER_CELLS);
    expect(parsePlaintext('-*\n--*\n***').liveCells).toEqual(GLIDER_CELLS);
    expect(parsePlaintext('.o\n..o\nooo').liveCells).toEqual(GLIDER_CELLS);
  });

  it('keeps empty rows inside the pattern and pads short rows', () => {
    const pattern = parsePlaintext('O\n\n..O');
    expect([pattern.width, pattern.height]).toEqual([3, 3]);
  });

  it('reports an unexpected character with line and column', () => {
    const error = syntaxError(() => parsePlaintext('!Name: x\n.O.\n.X.', { fileName: 'x.cells' }));
    expect(error.message).toBe('x.cells:3:2: unexpected "X" (expected . or O)');
  });

  it('round-trips', () => {
    const text = formatPlaintext(getBuiltinPattern('gosper-gun'));
    expect(text.startsWith('!Name: Gosper glider gun\n')).toBe(true);
    const { rule: _gunRule, ...gun } = getBuiltinPattern('gosper-gun');
    expect(parsePlaintext(text)).toEqual(gun);
    const { rule: _seedRule, ...seed } = getBuiltinPattern('seed-demo');
    expect(parsePlaintext(formatPlaintext(seed))).toEqual(seed);
  });
});

describe('Life 1.06', () => {
  it('reads cells with negative coordinates and moves them to the origin', () => {
    const pattern = parseLife106('#Life 1.06\n#D a glider\n0 -1\n1 0\n-1 1\n0 1\n1 1\n');
    expect(pattern.liveCells).toEqual(GLIDER_CELLS);
    expect(pattern.comments).toEqual(['a glider']);
  });

  it('reports errors with line and column', () => {
    expect(syntaxError(() => parseLife106('#Life 1.05\n0 0')).message).toContain(
      'expected the first line to be "#Life 1.06"',
    );
    const error = syntaxError(() =>
      parseLife106('#Life 1.06\n0 0\n  1 zz\n', { fileName: 'a.lif' }),
    );
    expect(error.message).toBe('a.lif:3:5: y "zz" is not an integer');
    expect(syntaxError(() => parseLife106('#Life 1.06\n1 2 3')).line).toBe(2);
  });

  it('round-trips (the box shrinks to the live cells)', () => {
    const acorn = getBuiltinPattern('acorn');
    const back = parseLife106(formatLife106(acorn));
    expect(back.liveCells).toEqual(acorn.liveCells);
    expect([back.width, back.height]).toEqual([7, 3]);
  });
});

describe('parsePattern', () => {
  it('detects the format by content', () => {
    expect(detectPatternFormat('#Life 1.06\n0 0')).toBe('life106');
    expect(detectPatternFormat('!Name: x\n.O')).toBe('plaintext');
    expect(detectPatternFormat('.O.\n..O\nOOO')).toBe('plaintext');
    expect(detectPatternFormat('#N x\nx = 1, y = 1\no!')).toBe('rle');
    expect(detectPatternFormat('bo$2bo$3o!')).toBe('rle');
    const expected: Pattern = parseRle('bo$2bo$3o!');
    expect(parsePattern('\n.O.\n..O\nOOO\n').liveCells).toEqual(expected.liveCells);
    expect(parsePattern('#Life 1.06\n1 0\n2 1\n0 2\n1 2\n2 2').liveCells).toEqual(
      expected.liveCells,
    );
  });

  it('passes the file name to errors', () => {
    expect(syntaxError(() => parsePattern('3q', { fileName: 'f.rle' })).message).toBe(
      'f.rle:1:2: unexpected "q" in the RLE data (expected b, o, $ or !)',
    );
  });
});

describe('built-in patterns and placing them', () => {
  it('has the six patterns', () => {
    expect(builtinPatternNames).toEqual([
      'glider',
      'blinker',
      'gosper-gun',
      'r-pentomino',
      'acorn',
      'seed-demo',
    ]);
    expect(getBuiltinPattern('gosper-gun').liveCells).toHaveLength(36);
    expect(getBuiltinPattern('acorn').liveCells).toHaveLength(7);
    expect(getBuiltinPattern('r-pentomino').liveCells).toHaveLength(5);
    expect(() => getBuiltinPattern('glidr')).toThrow(UnknownPatternError);
    expect(() => getBuiltinPattern('toString')).toThrow(/built-in patterns: glider, blinker/);
  });

  it('places seed-demo at the origin of its 5x9 world (the seed’s live cells)', () => {
    const grid = placePattern(getBuiltinPattern('seed-demo'), { height: 5, width: 9 });
    expect(grid.liveCells()).toEqual([
      [3, 0],
      [4, 1],
      [2, 2],
      [3, 2],
      [4, 2],
    ]);
  });

  it('centres by default, or places at the origin or an offset', () => {
    const blinker = getBuiltinPattern('blinker');
    expect(placePattern(blinker, { height: 3, width: 5 }).toString()).toBe('-----\n-***-\n-----');
    expect(placePattern(blinker, { height: 2, width: 4, at: 'origin' }).toString()).toBe(
      '***-\n----',
    );
    expect(placePattern(blinker, { height: 2, width: 4, at: { x: 2, y: 1 } }).toString()).toBe(
      '----\n*-**',
    );
    expect(() =>
      placePattern(blinker, { height: 2, width: 4, topology: 'plane', at: { x: 2, y: 1 } }),
    ).toThrow(RangeError);
    expect(() => placePattern(getBuiltinPattern('gosper-gun'), { height: 8, width: 64 })).toThrow(
      /does not fit/,
    );
  });
});
