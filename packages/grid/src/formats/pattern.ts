import type { Grid, XY } from '../grid.js';
import type { LifeRule } from '../rule.js';

/** A pattern read from (or to be written to) a pattern file. */
export interface Pattern {
  /** Width of the pattern's box (cells have `0 <= x < width`). */
  readonly width: number;
  /** Height of the pattern's box (cells have `0 <= y < height`). */
  readonly height: number;
  /** Live cells as `[x, y]`, relative to the top-left of the box, row-major. */
  readonly cells: readonly XY[];
  /** The rule named in the file, if any. */
  readonly rule?: LifeRule;
  /** The pattern's name (`#N` in RLE, `!Name:` in `.cells`), if any. */
  readonly name?: string;
  /** Comment lines, without their markers (`#C`, `#O`, `!`, `#D`). */
  readonly comments: readonly string[];
}

/** The pattern file formats this package reads and writes. */
export type PatternFormat = 'rle' | 'cells' | 'life106';

/** Options of the pattern readers. */
export interface ParsePatternOptions {
  /** Used in error messages. */
  readonly fileName?: string;
}

/** Sort cells row-major and compute the smallest box that holds them (at least `min`). */
export function makePattern(
  cells: XY[],
  min: { width: number; height: number },
  extra: { rule?: LifeRule | undefined; name?: string | undefined; comments: string[] },
): Pattern {
  let width = min.width;
  let height = min.height;
  for (const [x, y] of cells) {
    if (x + 1 > width) width = x + 1;
    if (y + 1 > height) height = y + 1;
  }
  cells.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  return {
    width,
    height,
    cells,
    ...(extra.rule === undefined ? {} : { rule: extra.rule }),
    ...(extra.name === undefined ? {} : { name: extra.name }),
    comments: extra.comments,
  };
}

/** A grid seen as a pattern (its whole area is the box). */
export function toPattern(source: Pattern | Grid): Pattern {
  if ('cells' in source) return source;
  return { width: source.width, height: source.height, cells: source.liveCells(), comments: [] };
}
