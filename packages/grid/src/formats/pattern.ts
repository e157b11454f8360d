import type { Grid, XY } from '../grid.js';
import type { LifeRule } from '../rule.js';
import { DEFAULT_MAX_LIVE_CELLS } from '../limits.js';
import type { BoundedGrid } from './bounded-grid.js';

/** A pattern read from (or to be written to) a pattern file. */
export interface Pattern {
  /** Width of the pattern's box (cells have `0 <= x < width`). */
  readonly width: number;
  /** Height of the pattern's box (cells have `0 <= y < height`). */
  readonly height: number;
  /** Live cells as `[x, y]`, relative to the top-left of the box, row-major. */
  readonly liveCells: readonly XY[];
  /** The rule named in the file, if any. */
  readonly rule?: LifeRule;
  /** The pattern's name (`#N` in RLE, `!Name:` in plaintext), if any. */
  readonly name?: string;
  /** Who made it (RLE `#O` lines, joined by `\n`), if any. */
  readonly author?: string;
  /** Comment lines, without their markers (RLE `#C`/`#c`, plaintext `!`, Life 1.06 `#D`). */
  readonly comments: readonly string[];
  /**
   * The bounded grid the file asks for (Golly's rule suffix, `rule = B3/S23:T64,64`): the
   * world's size and topology. `Grid`s seen as patterns have their own.
   */
  readonly boundedGrid?: BoundedGrid;
  /**
   * Where the box's top-left cell is in Golly's coordinates (RLE `#CXRLE Pos=x,y`; a bounded
   * grid's top-left cell is `-floor(width / 2), -floor(height / 2)`).
   */
  readonly position?: XY;
  /** The generation the file was saved at (RLE `#CXRLE Gen=N`). */
  readonly generation?: bigint;
  /**
   * RLE `#` lines this package does not interpret (`#P`, `#R`, tags of other programs),
   * verbatim, in file order; `formatRle` writes them back.
   */
  readonly extraLines?: readonly string[];
}

/** The pattern file formats this package reads and writes. */
export type PatternFormat = 'rle' | 'plaintext' | 'life106' | 'macrocell';

/** Options of the pattern readers. */
export interface ParsePatternOptions {
  /** Used in error messages. */
  readonly fileName?: string;
  /**
   * Most live cells to read (default `DEFAULT_MAX_LIVE_CELLS`, 2^24); a file with more
   * throws `PatternTooLargeError` before they are stored.
   */
  readonly maxLiveCells?: number;
}

/** What a reader found besides the cells; undefined fields are left out of the pattern. */
export interface PatternExtras {
  readonly rule?: LifeRule | undefined;
  readonly name?: string | undefined;
  readonly author?: string | undefined;
  readonly comments: string[];
  readonly boundedGrid?: BoundedGrid | undefined;
  readonly position?: XY | undefined;
  readonly generation?: bigint | undefined;
  readonly extraLines?: string[] | undefined;
}

/** Sort cells row-major and compute the smallest box that holds them (at least `min`). */
export function makePattern(
  liveCells: XY[],
  min: { width: number; height: number },
  extra: PatternExtras,
): Pattern {
  let width = min.width;
  let height = min.height;
  for (const [x, y] of liveCells) {
    if (x + 1 > width) width = x + 1;
    if (y + 1 > height) height = y + 1;
  }
  liveCells.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  return {
    width,
    height,
    liveCells,
    ...(extra.rule === undefined ? {} : { rule: extra.rule }),
    ...(extra.name === undefined ? {} : { name: extra.name }),
    ...(extra.author === undefined ? {} : { author: extra.author }),
    comments: extra.comments,
    ...(extra.boundedGrid === undefined ? {} : { boundedGrid: extra.boundedGrid }),
    ...(extra.position === undefined ? {} : { position: extra.position }),
    ...(extra.generation === undefined ? {} : { generation: extra.generation }),
    ...(extra.extraLines === undefined || extra.extraLines.length === 0
      ? {}
      : { extraLines: extra.extraLines }),
  };
}

/** A grid seen as a pattern: its whole area is the box, its size and topology the bounded grid. */
export function toPattern(source: Pattern | Grid): Pattern {
  if (isPattern(source)) return source;
  const { width, height, topology } = source;
  return {
    width,
    height,
    liveCells: source.liveCells(),
    comments: [],
    boundedGrid: { topology, width, height },
  };
}

/** The live-cell limit of a read, validated. */
export function maxLiveCellsOf(options: ParsePatternOptions): number {
  const max = options.maxLiveCells ?? DEFAULT_MAX_LIVE_CELLS;
  if (!Number.isSafeInteger(max) || max < 0) {
    throw new RangeError(`maxLiveCells must be a non-negative integer, got ${max}`);
  }
  return max;
}

/** Whether a value is a `Pattern` (its live cells are an array) rather than a `Grid`. */
export function isPattern(source: Pattern | Grid): source is Pattern {
  return Array.isArray((source as { liveCells?: unknown }).liveCells);
}
