import {
  PatternSyntaxError,
  PatternTooLargeError,
  PatternUnsupportedError,
  RuleSyntaxError,
} from '../errors.js';
import type { XY } from '../grid.js';
import { MAX_COORDINATE } from '../limits.js';
import { type LifeRule, parseRule } from '../rule.js';
import { type BoundedGrid, isBoundedGridProblem, readBoundedGrid } from './bounded-grid.js';
import { makePattern, maxLiveCellsOf, type ParsePatternOptions, type Pattern } from './pattern.js';

const HEADER = /^\s*x\s*=/;
/** Run counts longer than this cannot stay below `MAX_COORDINATE`; not worth converting. */
const MAX_COUNT_DIGITS = 12;

type Fail = (problem: string, line: number, column: number, cause?: unknown) => never;

/** Throwers for the three kinds of problem, all naming the file, line and column. */
function failures(fileName: string | undefined) {
  const options = (cause: unknown) => (cause === undefined ? undefined : { cause });
  const syntax: Fail = (problem, line, column, cause) => {
    throw new PatternSyntaxError('rle', problem, { line, column, fileName }, options(cause));
  };
  const unsupported: Fail = (problem, line, column) => {
    throw new PatternUnsupportedError('rle', problem, { line, column, fileName });
  };
  const tooLarge = (problem: string, line: number, column: number, limit: number): never => {
    throw new PatternTooLargeError('rle', problem, { line, column, fileName, limit });
  };
  return { syntax, unsupported, tooLarge };
}

/**
 * Read an RLE file leniently, as Golly and LifeWiki describe it: the `x = W, y = H, rule = R`
 * header is optional; `#N` (name), `#O` (author), `#C`/`#c` (comments), `#r` (rule) and
 * `#CXRLE Pos=x,y Gen=N` lines are read, other `#` lines kept verbatim (`extraLines`); the
 * rule may carry Golly's bounded-grid suffix (`B3/S23:T64,64`: a 64×64 torus; `:P` is a
 * plane; width first); run counts before any tag including `$`; whitespace and line breaks
 * between items; a missing `!`; anything after `!` is ignored. `b` and `.` are dead, `o`
 * and other letters alive.
 *
 * Limits are checked as the file is read, before cells are stored: coordinates stay below
 * 2^30, and at most `maxLiveCells` cells live.
 *
 * @example
 * parseRle('#N Glider\nx = 3, y = 3, rule = B3/S23\nbob$2bo$3o!').liveCells.length; // 5
 * parseRle('x = 1, y = 1, rule = B3/S23:T64,64\no!').boundedGrid; // { topology: 'torus', width: 64, height: 64 }
 * @throws {PatternSyntaxError} with the line and column of the problem.
 * @throws {PatternUnsupportedError} for a Golly grid other than an unshifted finite torus or plane.
 * @throws {PatternTooLargeError} for a run or header past 2^30, or too many live cells.
 */
export function parseRle(text: string, options: ParsePatternOptions = {}): Pattern {
  const { syntax, unsupported, tooLarge } = failures(options.fileName);
  const maxLiveCells = maxLiveCellsOf(options);
  const lines = text.split(/\r?\n|\r/);
  let name: string | undefined;
  const authors: string[] = [];
  const comments: string[] = [];
  const extraLines: string[] = [];
  let position: XY | undefined;
  let generation: bigint | undefined;
  let rule: LifeRule | undefined;
  let boundedGrid: BoundedGrid | undefined;
  let min = { width: 0, height: 0 };
  const cells: XY[] = [];
  let x = 0;
  let y = 0;
  let count = '';
  let countAt = { line: 0, column: 0 };
  let ended = false;
  let sawHeader = false;
  let sawData = false;

  /** A rule with an optional `:suffix`, starting at `column` of line `lineNo`. */
  const readRule = (value: string, lineNo: number, column: number): void => {
    const colon = value.indexOf(':');
    const ruleText = colon < 0 ? value : value.slice(0, colon);
    try {
      rule = parseRule(ruleText);
    } catch (error) {
      if (error instanceof RuleSyntaxError) {
        syntax(error.message, lineNo, column + Math.max(0, error.column - 1), error);
      }
      throw error;
    }
    if (colon < 0) return;
    const suffix = value.slice(colon + 1);
    const read = readBoundedGrid(suffix);
    if (isBoundedGridProblem(read)) {
      const at = column + colon + 1 + read.offset;
      (read.kind === 'syntax' ? syntax : unsupported)(read.problem, lineNo, at);
      return;
    }
    boundedGrid = read;
  };

  for (let li = 0; li < lines.length && !ended; li++) {
    const line = lines[li] as string;
    const lineNo = li + 1;
    const lead = line.length - line.trimStart().length;
    if (!sawData && line.startsWith('#', lead)) {
      const tag = line[lead + 1] ?? '';
      const body = line.slice(lead + 2).trim();
      if (line.startsWith('#CXRLE', lead)) {
        const xrle = readXrle(line.slice(lead + 6), lineNo, lead + 7, syntax);
        position = xrle.position ?? position;
        generation = xrle.generation ?? generation;
      } else if (tag === 'N') name = body;
      else if (tag === 'O') authors.push(body);
      else if (tag === 'C' || tag === 'c') comments.push(body);
      else if (tag === 'r') readRule(body, lineNo, line.indexOf(body, lead + 2) + 1);
      else extraLines.push(line.trimEnd());
      continue;
    }
    if (!sawData && !sawHeader && HEADER.test(line)) {
      sawHeader = true;
      const header = readHeader(line, lineNo, syntax, tooLarge);
      min = { width: header.width, height: header.height };
      if (header.rule !== undefined) readRule(header.rule.text, lineNo, header.rule.column);
      continue;
    }
    for (let ci = 0; ci < line.length; ci++) {
      const ch = line[ci] as string;
      const column = ci + 1;
      if (ch >= '0' && ch <= '9') {
        if (count === '') countAt = { line: lineNo, column };
        count += ch;
        sawData = true;
        continue;
      }
      if (ch === ' ' || ch === '\t') continue;
      sawData = true;
      const runAt = count === '' ? { line: lineNo, column } : countAt;
      const n =
        count === ''
          ? 1
          : count.length > MAX_COUNT_DIGITS
            ? Number.POSITIVE_INFINITY
            : Number(count);
      if (count !== '' && n === 0) syntax('a run count of 0', countAt.line, countAt.column);
      const runText = count;
      count = '';
      if (ch === '!') {
        ended = true;
        break;
      }
      if (ch === '$') {
        y += n;
        x = 0;
        if (y >= MAX_COORDINATE) {
          tooLarge(
            `a run of ${runText} rows reaches row ${y === Number.POSITIVE_INFINITY ? runText : y}, past the largest a pattern may have (${MAX_COORDINATE - 1})`,
            runAt.line,
            runAt.column,
            MAX_COORDINATE - 1,
          );
        }
      } else if (ch === 'b' || ch === '.' || ch === 'o' || (ch >= 'A' && ch <= 'Z')) {
        if (x + n > MAX_COORDINATE) {
          tooLarge(
            `a run of ${runText || '1'} cells reaches column ${x + n === Number.POSITIVE_INFINITY ? runText : x + n - 1}, past the largest a pattern may have (${MAX_COORDINATE - 1})`,
            runAt.line,
            runAt.column,
            MAX_COORDINATE - 1,
          );
        }
        if (ch !== 'b' && ch !== '.') {
          if (cells.length + n > maxLiveCells) {
            tooLarge(
              `the pattern has more than ${maxLiveCells} live cells, the most that may be read`,
              runAt.line,
              runAt.column,
              maxLiveCells,
            );
          }
          for (let i = 0; i < n; i++) cells.push([x + i, y]);
        }
        x += n;
      } else {
        syntax(
          `unexpected ${JSON.stringify(ch)} in the RLE data (expected b, o, $ or !)`,
          lineNo,
          column,
        );
      }
    }
  }
  if (count !== '')
    syntax(`run count ${count} is not followed by b, o or $`, countAt.line, countAt.column);
  return makePattern(cells, min, {
    rule,
    name,
    author: authors.length === 0 ? undefined : authors.join('\n'),
    comments,
    boundedGrid,
    position,
    generation,
    extraLines,
  });
}

/** Golly's `#CXRLE Pos=x,y Gen=N` (both optional, any order). */
function readXrle(
  text: string,
  lineNo: number,
  column: number,
  fail: Fail,
): { position?: XY; generation?: bigint } {
  const out: { position?: XY; generation?: bigint } = {};
  const pos = /\bPos\s*=\s*([^\s]*)/.exec(text);
  if (pos) {
    const match = /^([-+]?\d+),([-+]?\d+)$/.exec(pos[1] as string);
    if (!match) {
      fail(
        `expected Pos=x,y with integers, got ${JSON.stringify(pos[0])}`,
        lineNo,
        column + pos.index,
      );
    }
    const [px, py] = [Number(match?.[1]), Number(match?.[2])];
    if (Math.abs(px) >= MAX_COORDINATE || Math.abs(py) >= MAX_COORDINATE) {
      fail(
        `Pos=${px},${py} is past the largest coordinate (±${MAX_COORDINATE - 1})`,
        lineNo,
        column + pos.index,
      );
    }
    out.position = [px, py];
  }
  const gen = /\bGen\s*=\s*([^\s]*)/.exec(text);
  if (gen) {
    if (!/^\d+$/.test(gen[1] as string)) {
      fail(
        `expected Gen=N with N a non-negative integer, got ${JSON.stringify(gen[0])}`,
        lineNo,
        column + gen.index,
      );
    }
    out.generation = BigInt(gen[1] as string);
  }
  return out;
}

function readHeader(
  line: string,
  lineNo: number,
  fail: Fail,
  tooLarge: (problem: string, line: number, column: number, limit: number) => never,
): { width: number; height: number; rule: { text: string; column: number } | undefined } {
  let width = 0;
  let height = 0;
  let rule: { text: string; column: number } | undefined;
  let offset = 0;
  while (offset < line.length) {
    const column = offset + 1;
    const rest = line.slice(offset);
    if (rest.trim() === '') break;
    const key = /^\s*([A-Za-z]+)\s*=\s*/.exec(rest);
    if (!key) {
      const got = rest.split(',')[0]?.trim() || rest.trim();
      fail(`expected "key = value" in the header, got ${JSON.stringify(got)}`, lineNo, column);
    }
    const [lead, name] = key as unknown as [string, string];
    const valueStart = offset + lead.length;
    if (name === 'rule') {
      // The rule runs to the end of its word, commas included: Golly's bounded-grid suffix
      // has one (`B3/S23:T64,32`). A trailing comma ends it.
      const word = /^\S*/.exec(line.slice(valueStart))?.[0] ?? '';
      const text = word.endsWith(',') ? word.slice(0, -1) : word;
      rule = { text, column: valueStart + 1 };
      offset = valueStart + word.length;
      offset += /^\s*,?/.exec(line.slice(offset))?.[0].length ?? 0;
      continue;
    }
    const end = line.indexOf(',', valueStart);
    const stop = end < 0 ? line.length : end;
    const value = line.slice(valueStart, stop).trim();
    offset = stop + 1;
    const valueColumn = valueStart + 1;
    if (name === 'x' || name === 'y') {
      if (!/^\d+$/.test(value))
        fail(
          `header ${name} must be a non-negative integer, got ${JSON.stringify(value)}`,
          lineNo,
          valueColumn,
        );
      const size = value.length > MAX_COUNT_DIGITS ? Number.POSITIVE_INFINITY : Number(value);
      if (size > MAX_COORDINATE) {
        tooLarge(
          `header ${name} = ${value} is larger than a pattern may be (${MAX_COORDINATE})`,
          lineNo,
          valueColumn,
          MAX_COORDINATE,
        );
      }
      if (name === 'x') width = size;
      else height = size;
    }
  }
  return { width, height, rule };
}
