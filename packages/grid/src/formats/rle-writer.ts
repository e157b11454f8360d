import { cellBytes, type Grid } from '../grid.js';
import { CONWAY, formatRule, type LifeRule } from '../rule.js';
import { type BoundedGrid, formatBoundedGrid } from './bounded-grid.js';
import { isPattern, type Pattern } from './pattern.js';

const MAX_LINE = 70;

/** Options of `formatRle`. */
export interface FormatRleOptions {
  /** Written in the header. Default: the pattern's rule, else `B3/S23`. */
  readonly rule?: LifeRule;
  /** Written as `#N`. Default: the pattern's name. */
  readonly name?: string;
  /** Written as `#O` lines (one per line of it). Default: the pattern's author. */
  readonly author?: string;
  /** Written as `#C` lines. Default: the pattern's comments. */
  readonly comments?: readonly string[];
  /** Other `#` lines, written verbatim before the header. Default: the pattern's. */
  readonly extraLines?: readonly string[];
  /**
   * Golly's bounded-grid suffix after the rule (`B3/S23:T64,64`). Default: the pattern's
   * own, or for a `Grid` its size and topology; `false` writes none.
   */
  readonly boundedGrid?: BoundedGrid | false;
}

/** A run of live cells: `length` cells from `(x, y)` rightwards. */
type Run = readonly [x: number, y: number, length: number];

/** Live runs of a pattern's sorted cells. */
function* patternRuns(pattern: Pattern): Generator<Run> {
  let start = -1;
  let row = -1;
  let length = 0;
  for (const [x, y] of pattern.liveCells) {
    if (y === row && x === start + length) {
      length++;
      continue;
    }
    if (length > 0) yield [start, row, length];
    start = x;
    row = y;
    length = 1;
  }
  if (length > 0) yield [start, row, length];
}

/** Live runs of a grid, read from its bytes (no list of cells is built). */
function* gridRuns(grid: Grid): Generator<Run> {
  const cells = cellBytes(grid);
  const { height, width } = grid;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = cells.indexOf(1, row) - row;
    while (x >= 0 && x < width) {
      let end = x + 1;
      while (end < width && cells[row + end] === 1) end++;
      yield [x, y, end - x];
      const next = cells.indexOf(1, row + end);
      x = next < 0 ? -1 : next - row;
    }
  }
}

/** The `#` lines and header of a pattern. */
function* headerLines(source: Pattern | Grid, options: FormatRleOptions): Generator<string> {
  const pattern = isPattern(source) ? source : undefined;
  if (pattern?.position !== undefined || pattern?.generation !== undefined) {
    const parts = ['#CXRLE'];
    if (pattern.position !== undefined)
      parts.push(`Pos=${pattern.position[0]},${pattern.position[1]}`);
    if (pattern.generation !== undefined) parts.push(`Gen=${pattern.generation}`);
    yield parts.join(' ');
  }
  const name = options.name ?? pattern?.name;
  if (name !== undefined && name !== '') yield `#N ${name}`;
  const author = options.author ?? pattern?.author;
  if (author !== undefined) {
    for (const line of author.split('\n')) yield line === '' ? '#O' : `#O ${line}`;
  }
  for (const comment of options.comments ?? pattern?.comments ?? []) {
    yield comment === '' ? '#C' : `#C ${comment}`;
  }
  yield* options.extraLines ?? pattern?.extraLines ?? [];
  const rule = options.rule ?? pattern?.rule ?? CONWAY;
  const ownGrid: BoundedGrid | undefined = isPattern(source)
    ? source.boundedGrid
    : { topology: source.topology, width: source.width, height: source.height };
  const grid = options.boundedGrid === undefined ? ownGrid : options.boundedGrid || undefined;
  const suffix = grid === undefined ? '' : formatBoundedGrid(grid);
  yield `x = ${source.width}, y = ${source.height}, rule = ${formatRule(rule)}${suffix}`;
}

/**
 * Write RLE strictly, line by line (each line ends in `\n`), so a large world can be
 * written to a stream without building one string: `#CXRLE` (a pattern's `position` and
 * `generation`), `#N`, `#O`, `#C` and the pattern's other `#` lines, the header
 * `x = W, y = H, rule = B3/S23` with Golly's bounded-grid suffix where there is one, data
 * lines of at most 70 characters (a run is never split), ending in `!`. A `Grid` is written
 * with its whole area as the box, read from its cells directly.
 *
 * @example
 * for (const line of formatRleLines(grid)) stream.write(line);
 */
export function* formatRleLines(
  source: Pattern | Grid,
  options: FormatRleOptions = {},
): Generator<string> {
  for (const line of headerLines(source, options)) yield `${line}\n`;
  let current = '';
  const add = (item: string): string | undefined => {
    let full: string | undefined;
    if (current.length + item.length > MAX_LINE) {
      full = `${current}\n`;
      current = '';
    }
    current += item;
    return full;
  };
  const run = (n: number, tag: string): string => (n === 1 ? tag : `${n}${tag}`);
  let row = 0;
  let col = 0;
  for (const [x, y, length] of isPattern(source) ? patternRuns(source) : gridRuns(source)) {
    if (y !== row) {
      const line = add(run(y - row, '$'));
      if (line !== undefined) yield line;
      row = y;
      col = 0;
    }
    if (x > col) {
      const line = add(run(x - col, 'b'));
      if (line !== undefined) yield line;
    }
    const line = add(run(length, 'o'));
    if (line !== undefined) yield line;
    col = x + length;
  }
  const last = add('!');
  if (last !== undefined) yield last;
  yield `${current}\n`;
}

/**
 * Write RLE strictly, as one string (see `formatRleLines`, which it joins).
 *
 * @example
 * formatRle(getBuiltinPattern('glider'));
 * // '#N Glider\nx = 3, y = 3, rule = B3/S23\nbo$2bo$3o!\n'
 * formatRle(new Grid(2, 3)); // 'x = 3, y = 2, rule = B3/S23:T3,2\n!\n'
 */
export function formatRle(source: Pattern | Grid, options: FormatRleOptions = {}): string {
  let out = '';
  for (const line of formatRleLines(source, options)) out += line;
  return out;
}
