import { PatternSyntaxError } from '../errors.js';
import type { Grid, XY } from '../grid.js';
import { makePattern, type ParsePatternOptions, type Pattern, toPattern } from './pattern.js';

const MAGIC = '#Life 1.06';

/**
 * Read a Life 1.06 file: the `#Life 1.06` line, then one `x y` pair of integers per live
 * cell. `#D`/`#N` lines are read as comments/name. The cells are moved so the smallest
 * `x` and `y` become 0.
 *
 * @example
 * parseLife106('#Life 1.06\n0 -1\n1 0\n-1 1\n0 1\n1 1\n').liveCells.length; // 5
 * @throws {PatternSyntaxError} with the line and column of the problem.
 */
export function parseLife106(text: string, options: ParsePatternOptions = {}): Pattern {
  const lines = text.split(/\r?\n|\r/);
  const fail = (problem: string, line: number, column: number): never => {
    throw new PatternSyntaxError('life106', problem, { line, column, fileName: options.fileName });
  };
  if (!(lines[0] ?? '').trimEnd().startsWith(MAGIC)) {
    fail(`expected the first line to be "${MAGIC}"`, 1, 1);
  }
  let name: string | undefined;
  const comments: string[] = [];
  const raw: [number, number][] = [];
  const seen = new Set<string>();
  lines.forEach((line, li) => {
    if (li === 0 || line.trim() === '') return;
    if (line.startsWith('#')) {
      const tag = line[1] ?? '';
      if (tag === 'N') name = line.slice(2).trim();
      else comments.push(line.slice(tag === 'D' || tag === 'C' ? 2 : 1).trim());
      return;
    }
    const match = /^(\s*)(\S+)(\s+)(\S+)\s*$/.exec(line);
    if (!match) {
      fail('expected two integers "x y"', li + 1, line.search(/\S/) + 1);
      return;
    }
    const [, lead, xs, gap, ys] = match as unknown as [string, string, string, string, string];
    if (!/^[-+]?\d+$/.test(xs))
      fail(`x ${JSON.stringify(xs)} is not an integer`, li + 1, lead.length + 1);
    if (!/^[-+]?\d+$/.test(ys)) {
      fail(
        `y ${JSON.stringify(ys)} is not an integer`,
        li + 1,
        lead.length + xs.length + gap.length + 1,
      );
    }
    const key = `${Number(xs)},${Number(ys)}`;
    if (!seen.has(key)) {
      seen.add(key);
      raw.push([Number(xs), Number(ys)]);
    }
  });
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  for (const [x, y] of raw) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
  }
  const cells: XY[] = raw.map(([x, y]) => [x - minX, y - minY]);
  return makePattern(cells, { width: 0, height: 0 }, { name, comments });
}

/**
 * Write Life 1.06: the `#Life 1.06` line, then `x y` per live cell (box coordinates).
 *
 * @example
 * formatLife106(getBuiltinPattern('blinker')); // '#Life 1.06\n0 0\n1 0\n2 0\n'
 */
export function formatLife106(source: Pattern | Grid): string {
  const pattern = toPattern(source);
  return `${[MAGIC, ...pattern.liveCells.map(([x, y]) => `${x} ${y}`)].join('\n')}\n`;
}
