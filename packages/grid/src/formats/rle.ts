import { PatternSyntaxError, RuleSyntaxError } from '../errors.js';
import type { Grid, XY } from '../grid.js';
import { makePattern, type ParsePatternOptions, type Pattern, toPattern } from './pattern.js';
import { CONWAY, formatRule, type LifeRule, parseRule } from '../rule.js';

const HEADER = /^\s*x\s*=/;
const MAX_LINE = 70;

/**
 * Read an RLE file leniently, as Golly and LifeWiki describe it: the `x = W, y = H, rule = R`
 * header is optional; `#N` (name), `#C`/`#c`/`#O` (comments) and `#r` (rule) lines are read,
 * other `#` lines kept as comments; run counts before any tag including `$`; whitespace and
 * line breaks between items; a missing `!`; anything after `!` is ignored. `b` and `.` are
 * dead, `o` and other letters alive.
 *
 * @example
 * parseRle('#N Glider\nx = 3, y = 3, rule = B3/S23\nbob$2bo$3o!').cells.length; // 5
 * @throws {PatternSyntaxError} with the line and column of the problem.
 */
export function parseRle(text: string, options: ParsePatternOptions = {}): Pattern {
  const { fileName } = options;
  const fail = (problem: string, line: number, column: number, cause?: unknown): never => {
    throw new PatternSyntaxError(
      'rle',
      problem,
      { line, column, fileName },
      cause === undefined ? undefined : { cause },
    );
  };
  const lines = text.split(/\r?\n|\r/);
  let name: string | undefined;
  const comments: string[] = [];
  let rule: LifeRule | undefined;
  let min = { width: 0, height: 0 };
  const cells: XY[] = [];
  let x = 0;
  let y = 0;
  let count = '';
  let countAt = { line: 0, column: 0 };
  let ended = false;
  let sawHeader = false;
  let sawData = false;

  const readRule = (value: string, line: number, column: number): LifeRule => {
    try {
      return parseRule(value);
    } catch (error) {
      if (error instanceof RuleSyntaxError) {
        return fail(error.message, line, column + Math.max(0, error.column - 1), error);
      }
      throw error;
    }
  };

  for (let li = 0; li < lines.length && !ended; li++) {
    const line = lines[li] as string;
    const lineNo = li + 1;
    if (!sawData && line.startsWith('#')) {
      const tag = line[1] ?? '';
      const body = line.slice(2).trim();
      if (tag === 'N') name = body;
      else if (tag === 'r') rule = readRule(body, lineNo, line.indexOf(body) + 1);
      else comments.push(line.slice(tag === 'C' || tag === 'c' || tag === 'O' ? 2 : 1).trim());
      continue;
    }
    if (!sawData && !sawHeader && HEADER.test(line)) {
      sawHeader = true;
      const header = readHeader(line, lineNo, fail);
      min = { width: header.width, height: header.height };
      if (header.rule !== undefined) rule = readRule(header.rule.text, lineNo, header.rule.column);
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
      const n = count === '' ? 1 : Number(count);
      if (count !== '' && n === 0) fail('a run count of 0', countAt.line, countAt.column);
      count = '';
      if (ch === '!') {
        ended = true;
        break;
      }
      if (ch === '$') {
        y += n;
        x = 0;
      } else if (ch === 'b' || ch === '.') {
        x += n;
      } else if (ch === 'o' || (ch >= 'A' && ch <= 'Z')) {
        for (let i = 0; i < n; i++) cells.push([x + i, y]);
        x += n;
      } else {
        fail(
          `unexpected ${JSON.stringify(ch)} in the RLE data (expected b, o, $ or !)`,
          lineNo,
          column,
        );
      }
    }
  }
  if (count !== '')
    fail(`run count ${count} is not followed by b, o or $`, countAt.line, countAt.column);
  return makePattern(cells, min, { rule, name, comments });
}

function readHeader(
  line: string,
  lineNo: number,
  fail: (problem: string, line: number, column: number) => never,
): { width: number; height: number; rule: { text: string; column: number } | undefined } {
  let width = 0;
  let height = 0;
  let rule: { text: string; column: number } | undefined;
  let offset = 0;
  for (const part of line.split(',')) {
    const column = offset + 1;
    offset += part.length + 1;
    const match = /^\s*([A-Za-z]+)\s*=\s*(.*?)\s*$/.exec(part);
    if (!match) {
      if (part.trim() === '') continue;
      fail(
        `expected "key = value" in the header, got ${JSON.stringify(part.trim())}`,
        lineNo,
        column,
      );
    }
    const [, key, value] = match as unknown as [string, string, string];
    const valueColumn = column + part.indexOf(value, part.indexOf('=') + 1);
    if (key === 'x' || key === 'y') {
      if (!/^\d+$/.test(value))
        fail(
          `header ${key} must be a non-negative integer, got ${JSON.stringify(value)}`,
          lineNo,
          valueColumn,
        );
      if (key === 'x') width = Number(value);
      else height = Number(value);
    } else if (key === 'rule') {
      rule = { text: value, column: valueColumn };
    }
  }
  return { width, height, rule };
}

/** Options of `formatRle`. */
export interface FormatRleOptions {
  /** Written in the header. Default: the pattern's rule, else `B3/S23`. */
  readonly rule?: LifeRule;
  /** Written as `#N`. Default: the pattern's name. */
  readonly name?: string;
  /** Written as `#C` lines. Default: the pattern's comments. */
  readonly comments?: readonly string[];
}

/**
 * Write RLE strictly: optional `#N`/`#C` lines, the header `x = W, y = H, rule = B3/S23`,
 * data lines of at most 70 characters (a run is never split), ending in `!` and a newline.
 * A `Grid` is written with its whole area as the box.
 *
 * @example
 * formatRle(getBuiltinPattern('glider'));
 * // '#N Glider\nx = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n'
 */
export function formatRle(source: Pattern | Grid, options: FormatRleOptions = {}): string {
  const pattern = toPattern(source);
  const rule = options.rule ?? pattern.rule ?? CONWAY;
  const name = options.name ?? pattern.name;
  const comments = options.comments ?? pattern.comments;
  const out: string[] = [];
  if (name !== undefined && name !== '') out.push(`#N ${name}`);
  for (const comment of comments) out.push(`#C ${comment}`);
  out.push(`x = ${pattern.width}, y = ${pattern.height}, rule = ${formatRule(rule)}`);

  const items: string[] = [];
  const run = (n: number, tag: string): void => {
    items.push(n === 1 ? tag : `${n}${tag}`);
  };
  let row = 0;
  let col = 0;
  let alive = 0;
  let aliveStart = 0;
  const flushAlive = (): void => {
    if (alive > 0) {
      if (aliveStart > col) run(aliveStart - col, 'b');
      run(alive, 'o');
      col = aliveStart + alive;
      alive = 0;
    }
  };
  for (const [x, y] of pattern.cells) {
    if (y !== row) {
      flushAlive();
      run(y - row, '$');
      row = y;
      col = 0;
    }
    if (alive > 0 && x === aliveStart + alive) {
      alive++;
    } else {
      flushAlive();
      aliveStart = x;
      alive = 1;
    }
  }
  flushAlive();
  items.push('!');

  let current = '';
  for (const item of items) {
    if (current.length + item.length > MAX_LINE) {
      out.push(current);
      current = '';
    }
    current += item;
  }
  out.push(current);
  return `${out.join('\n')}\n`;
}
