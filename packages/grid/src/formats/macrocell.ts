import { PatternSyntaxError, PatternTooLargeError } from '../errors.js';
import type { XY } from '../grid.js';
import { DEFAULT_MAX_LIVE_CELLS, MAX_COORDINATE } from '../limits.js';
import {
  makePattern,
  type ParsePatternOptions,
  type Pattern,
  type PatternFormat,
} from './pattern.js';
import { formatRule, type LifeRule, parseRule } from '../rule.js';

/**
 * Macrocell (`.mc`), HashLife's native format: the quadtree itself, one node a line, so a
 * pattern of 10^20 cells with much repetition is a small file.
 *
 * ```
 * [M2] (golly 3.3)
 * #R B3/S23
 * #G 1000
 * $...*$....*$..***$      an 8×8 leaf: rows of . and *, each ended by $
 * 4 0 0 0 1               level nw ne sw se: earlier lines by number (from 1), 0 = empty
 * ```
 * The last line is the root; a root of level L covers x and y in [-2^(L-1), 2^(L-1)).
 */
export interface Macrocell {
  /** The first line as read (`[M2] (golly 3.3)`); written back as is. */
  readonly header: string;
  /** The `#R` rule, if any. */
  readonly rule?: LifeRule;
  /** The `#G` generation (0 when absent). */
  readonly generation: bigint;
  /** Every other `#` line, marker included (`#C made by …`, `#N name`), in file order. */
  readonly comments: readonly string[];
  /** The tree. */
  readonly nodes: MacrocellNodes;
}

/** A macrocell tree in flat arrays: node `i` (0-based) is line `i + 1` of the node list. */
export interface MacrocellNodes {
  readonly count: number;
  /** Level of each node: 3 for an 8×8 leaf, more for a branch. */
  readonly levels: Uint8Array;
  /** Children of node `i` at `4i .. 4i + 3` (nw, ne, sw, se) as 1-based numbers, 0 = empty. */
  readonly children: Int32Array;
  /** Rows of leaf `i` at `8i .. 8i + 7`; bit x of a row is column x. */
  readonly leafRows: Uint8Array;
}

/** The header this package writes when none was read. */
export const MACROCELL_HEADER = '[M2] (fanout)';

const FORMAT: PatternFormat = 'macrocell';

/** Options of `parseMacrocell`. */
export interface ParseMacrocellOptions {
  /** Used in error messages. */
  readonly fileName?: string;
}

/**
 * Read a macrocell file.
 *
 * @example
 * const mc = parseMacrocell('[M2] (golly 3.3)\n#R B3/S23\n..*$...*$.***$\n4 0 0 0 1\n');
 * createHashLifeEngine(mc).population(); // 5
 * @throws {PatternSyntaxError} with the line and column of the first problem.
 */
export function parseMacrocell(text: string, options: ParseMacrocellOptions = {}): Macrocell {
  const fileName = options.fileName;
  const fail = (line: number, column: number, problem: string): never => {
    throw new PatternSyntaxError(FORMAT, problem, { line, column, fileName });
  };
  const lines = text.split('\n');
  const first = (lines[0] ?? '').replace(/\r$/, '');
  if (!first.startsWith('[M2]')) {
    fail(1, 1, 'expected a macrocell header "[M2]" on the first line');
  }
  let rule: LifeRule | undefined;
  let generation = 0n;
  const comments: string[] = [];
  let levels = new Uint8Array(1024);
  let children = new Int32Array(4096);
  let leafRows = new Uint8Array(8192);
  let count = 0;
  const room = (): void => {
    if (count < levels.length) return;
    const size = levels.length * 2;
    const l = new Uint8Array(size);
    l.set(levels);
    levels = l;
    const c = new Int32Array(size * 4);
    c.set(children);
    children = c;
    const r = new Uint8Array(size * 8);
    r.set(leafRows);
    leafRows = r;
  };
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      if (line.startsWith('#R')) {
        const ruleText = line.slice(2).trim();
        try {
          rule = parseRule(ruleText);
        } catch (error) {
          throw new PatternSyntaxError(
            FORMAT,
            `bad rule ${JSON.stringify(ruleText)}: ${(error as Error).message}`,
            { line: lineNo, column: 4, fileName },
            { cause: error },
          );
        }
      } else if (line.startsWith('#G')) {
        const g = line.slice(2).trim();
        if (!/^\d+$/.test(g))
          fail(lineNo, 4, `generation ${JSON.stringify(g)} is not a whole number`);
        generation = BigInt(g);
      } else {
        comments.push(line);
      }
      continue;
    }
    room();
    const c0 = line.charCodeAt(0);
    if (c0 === 46 || c0 === 42 || c0 === 36) {
      // A leaf: . dead, * alive, $ ends a row.
      let row = 0;
      let col = 0;
      for (let k = 0; k < line.length; k++) {
        const ch = line[k];
        if (ch === '$') {
          row++;
          col = 0;
        } else if (ch === '.' || ch === '*') {
          if (row > 7 || col > 7) fail(lineNo, k + 1, 'a leaf is at most 8 cells by 8 rows');
          if (ch === '*') leafRows[count * 8 + row] = leafRows[count * 8 + row]! | (1 << col);
          col++;
        } else if (ch !== ' ' && ch !== '\t') {
          fail(
            lineNo,
            k + 1,
            `unexpected ${JSON.stringify(ch)} in a leaf (expected ".", "*" or "$")`,
          );
        }
      }
      if (row > 8 || (row === 8 && col > 0)) fail(lineNo, 1, 'a leaf is at most 8 rows');
      levels[count] = 3;
      count++;
      continue;
    }
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 5 || !parts.every((p) => /^\d+$/.test(p))) {
      fail(lineNo, 1, 'expected a leaf of ".*$" or a node "level nw ne sw se"');
    }
    const level = Number(parts[0]);
    if (level === 1)
      fail(lineNo, 1, 'multi-state macrocell files are not supported (2 states only)');
    if (level < 4 || level > 255) fail(lineNo, 1, `node level ${level} must be from 4 to 255`);
    levels[count] = level;
    for (let k = 0; k < 4; k++) {
      const child = Number(parts[k + 1]);
      if (child > count) {
        fail(lineNo, 1, `child ${child} is not an earlier node (this is node ${count + 1})`);
      }
      if (child !== 0 && levels[child - 1] !== level - 1) {
        fail(lineNo, 1, `child ${child} has level ${levels[child - 1]}, expected ${level - 1}`);
      }
      children[count * 4 + k] = child;
    }
    count++;
  }
  return {
    header: first,
    ...(rule === undefined ? {} : { rule }),
    generation,
    comments,
    nodes: {
      count,
      levels: levels.slice(0, count),
      children: children.slice(0, count * 4),
      leafRows: leafRows.slice(0, count * 8),
    },
  };
}

/**
 * Write a macrocell file (the header as read or `[M2] (fanout)`, `#R` when a rule is set, `#G` when not 0, the
 * comments, then the nodes). `parseMacrocell(formatMacrocell(mc))` gives `mc` back.
 *
 * @example
 * writeFileSync('gun.mc', formatMacrocell(engine.toMacrocell()));
 */
export function formatMacrocell(mc: Macrocell): string {
  const out: string[] = [mc.header];
  if (mc.rule !== undefined) out.push(`#R ${formatRule(mc.rule)}`);
  if (mc.generation !== 0n) out.push(`#G ${mc.generation}`);
  for (const line of mc.comments) out.push(line);
  const { count, levels, children, leafRows } = mc.nodes;
  for (let i = 0; i < count; i++) {
    if (levels[i] === 3) {
      let lastRow = -1;
      for (let r = 0; r < 8; r++) if (leafRows[i * 8 + r] !== 0) lastRow = r;
      let line = '';
      for (let r = 0; r <= lastRow; r++) {
        const bits = leafRows[i * 8 + r]!;
        const width = bits === 0 ? 0 : 32 - Math.clz32(bits);
        for (let c = 0; c < width; c++) line += (bits >> c) & 1 ? '*' : '.';
        line += '$';
      }
      out.push(line === '' ? '$' : line);
    } else {
      const c = i * 4;
      out.push(
        `${levels[i]} ${children[c]} ${children[c + 1]} ${children[c + 2]} ${children[c + 3]}`,
      );
    }
  }
  return out.join('\n') + '\n';
}

/**
 * A macrocell tree as a `Pattern` (its cells listed, its box at the origin, `position` the
 * box's top-left cell in the file's coordinates), for engines other than HashLife. `#N` is
 * the name, `#O` lines the author, `#C` lines the comments, other `#` lines `extraLines`.
 *
 * @example
 * const pattern = macrocellToPattern(parseMacrocell(text));
 * @throws {PatternTooLargeError} when the tree holds more than `maxLiveCells` live cells
 *   (default 2^24) or spans more than 2^30 cells: run such a file with `hashlife`.
 */
export function macrocellToPattern(mc: Macrocell, options: ParsePatternOptions = {}): Pattern {
  const { count, levels, children, leafRows } = mc.nodes;
  const limit = options.maxLiveCells ?? DEFAULT_MAX_LIVE_CELLS;
  const tooLarge = (problem: string, max: number): never => {
    throw new PatternTooLargeError(FORMAT, problem, {
      line: 1,
      column: 1,
      fileName: options.fileName,
      limit: max,
    });
  };
  const population = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let n = 0;
    if (levels[i] === 3) {
      for (let r = 0; r < 8; r++) for (let b = leafRows[i * 8 + r]!; b !== 0; b &= b - 1) n++;
    } else {
      for (let k = 0; k < 4; k++) {
        const child = children[i * 4 + k]!;
        if (child !== 0) n += population[child - 1]!;
      }
    }
    population[i] = n;
  }
  const total = count === 0 ? 0 : population[count - 1]!;
  if (total > limit) tooLarge(`the tree holds ${total} live cells, more than ${limit}`, limit);
  const cells: XY[] = [];
  const walk = (node: number, x: number, y: number): void => {
    const i = node - 1;
    if (population[i] === 0) return;
    if (levels[i] === 3) {
      for (let r = 0; r < 8; r++) {
        for (let b = leafRows[i * 8 + r]!; b !== 0; b &= b - 1) {
          cells.push([x + 31 - Math.clz32(b & -b), y + r]);
        }
      }
      return;
    }
    const half = 2 ** (levels[i]! - 1);
    for (let k = 0; k < 4; k++) {
      const child = children[i * 4 + k]!;
      if (child !== 0) walk(child, x + (k & 1) * half, y + (k >> 1) * half);
    }
  };
  if (count > 0) {
    const corner = -(2 ** (levels[count - 1]! - 1));
    walk(count, corner, corner);
  }
  let minX = cells.length > 0 ? Number.POSITIVE_INFINITY : 0;
  let minY = minX;
  let maxX = cells.length > 0 ? Number.NEGATIVE_INFINITY : 0;
  let maxY = maxX;
  for (const [x, y] of cells) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (maxX - minX >= MAX_COORDINATE || maxY - minY >= MAX_COORDINATE) {
    tooLarge(`the live cells span more than 2^30 cells`, MAX_COORDINATE);
  }
  const name = mc.comments
    .find((line) => line.startsWith('#N'))
    ?.slice(2)
    .trim();
  const authors = mc.comments.filter((line) => line.startsWith('#O')).map((l) => l.slice(2).trim());
  const comments = mc.comments.filter((line) => /^#[Cc]/.test(line)).map((l) => l.slice(2).trim());
  const extraLines = mc.comments.filter((line) => !/^#[NOCc]/.test(line));
  return makePattern(
    cells.map(([x, y]): XY => [x - minX, y - minY]),
    { width: cells.length > 0 ? 1 : 0, height: cells.length > 0 ? 1 : 0 },
    {
      rule: mc.rule,
      name,
      author: authors.length > 0 ? authors.join('\n') : undefined,
      comments,
      position: [minX, minY],
      generation: mc.generation === 0n ? undefined : mc.generation,
      extraLines: extraLines.length > 0 ? extraLines : undefined,
    },
  );
}
