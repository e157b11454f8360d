import { describe, expect, it } from 'vitest';
import { encodeResult, encodeResults } from '../report/json.js';
import { PairsSyntaxError } from '../errors.js';
import { parsePairs } from './pairs.js';
import { CHAPTER_NUMBERS, chapterPairs } from './chapter.js';

function syntaxError(text: string, source?: string): PairsSyntaxError {
  try {
    parsePairs(text, source === undefined ? {} : { source });
  } catch (error) {
    if (error instanceof PairsSyntaxError) return error;
    throw error;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe('parsePairs', () => {
  it('reads "A B" and "A,B" lines, skipping comments and blank lines', () => {
    const text = '# chapter pairs\n\n12 18\n  -4,6  \r\n7 , 21 # trailing comment\n\t0\t0\n+5 10\n';
    expect(parsePairs(text)).toEqual([
      [12, 18],
      [-4, 6],
      [7, 21],
      [0, 0],
      [5, 10],
    ]);
  });

  it('keeps numbers up to 2^53 and switches the whole pair to bigint past it', () => {
    expect(parsePairs('9007199254740991 3\n9007199254740992 3\n-9007199254740993,2')).toEqual([
      [Number.MAX_SAFE_INTEGER, 3],
      [9007199254740992n, 3n],
      [-9007199254740993n, 2n],
    ]);
    const digits = '1'.repeat(400);
    expect(parsePairs(`${digits} 7`)).toEqual([[BigInt(digits), 7n]]);
  });

  it('returns no pairs for empty or comment-only text', () => {
    expect(parsePairs('')).toEqual([]);
    expect(parsePairs('# nothing\n   \n')).toEqual([]);
  });

  it.each([
    ['12 18\n1.5 3\n', 2, 1, '"1.5" is not an integer'],
    ['12\n', 1, 3, 'only one value'],
    ['1 2 3', 1, 5, 'more than two values'],
    ['1,2,3', 1, 4, 'more than one comma'],
    ['\n\n# c\n  ,4', 4, 3, 'a comma before the first value'],
    ['4, ', 1, 2, 'a comma after the last value'],
    ['1e5 2', 1, 1, '"1e5" is not an integer'],
    ['0x10 2', 1, 1, 'is not an integer'],
    ['7 eight', 1, 3, '"eight" is not an integer'],
  ])('names line, column and content of a bad line: %j', (text, line, column, problem) => {
    const error = syntaxError(text);
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.content).toBe(text.split(/\r?\n/)[line - 1]);
    expect(error.message).toContain(problem);
    expect(error.message).toContain(`<input>:${line}:${column}:`);
  });

  it('names the source in the message and on the error', () => {
    const error = syntaxError('1 2\n3 x\n', 'pairs.txt');
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error).toMatchObject({ name: 'PairsSyntaxError', source: 'pairs.txt', line: 2 });
    expect(error.message).toMatch(/^pairs\.txt:2:3: "x" is not an integer in "3 x"/);
  });
});

describe('chapter pairs', () => {
  it('holds the chapter ten pairs, in order, frozen', () => {
    expect(CHAPTER_NUMBERS).toHaveLength(10);
    expect(CHAPTER_NUMBERS[0]).toEqual([1963309, 2265973]);
    expect(CHAPTER_NUMBERS[9]).toEqual([1292391, 2123811]);
    expect(Object.isFrozen(CHAPTER_NUMBERS)).toBe(true);
  });

  it('repeats them scale times', () => {
    const pairs = chapterPairs(3);
    expect(pairs).toHaveLength(30);
    expect(pairs.slice(20)).toEqual(CHAPTER_NUMBERS);
    expect(chapterPairs()).toEqual(CHAPTER_NUMBERS);
  });

  it('refuses a scale that is not a positive integer', () => {
    expect(() => chapterPairs(0)).toThrow(/scale must be a positive integer, got 0/);
    expect(() => chapterPairs(1.5)).toThrow(RangeError);
  });
});

describe('encodeResults', () => {
  it('keeps safe integers as numbers and writes larger values as strings', () => {
    expect(encodeResults([1, 32, 5n, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 60n)])).toEqual([
      1,
      32,
      5,
      Number.MAX_SAFE_INTEGER,
      '9007199254740992',
      '-1152921504606846976',
    ]);
    expect(JSON.stringify({ results: [encodeResult(2n ** 64n)] })).toBe(
      '{"results":["18446744073709551616"]}',
    );
  });
});
