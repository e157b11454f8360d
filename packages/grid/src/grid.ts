import { checkWorldSize } from './limits.js';

/** How the edges of a bounded world behave. */
export type Topology = 'torus' | 'plane';

/** A cell position as `[x, y]` (column, row), the order pattern files use. */
export type XY = readonly [x: number, y: number];

/** Options of a `Grid`. */
export interface GridOptions {
  /** `torus` (default, the seed's wrapping grid) or `plane` (dead outside). */
  readonly topology?: Topology;
}

// Registered symbol, so grids from the ESM and CJS builds (or from the main and workers
// entries) can read each other's cells.
const CELLS = Symbol.for('@fanout/grid.cells');

const ALIVE = '*';
const EMPTY = '-';

function checkSize(height: number, width: number): void {
  for (const [label, value] of [
    ['height', height],
    ['width', width],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`grid ${label} must be a positive integer, got ${value}`);
    }
  }
  checkWorldSize({ height, width });
}

/**
 * The cells of a grid, row-major, 1 alive and 0 dead: the grid's own array, not a copy
 * (internal: the per-cell engine reads and writes it directly).
 */
export function cellBytes(grid: Grid): Uint8Array {
  const cells = (grid as unknown as Record<symbol, Uint8Array | undefined>)[CELLS];
  if (cells === undefined) throw new TypeError('not a Grid of @fanout/grid');
  return cells;
}

/**
 * A bounded Life world of `height × width` cells, addressed `(y, x)` like the seed's `Grid`.
 *
 * @example
 * const grid = new Grid(5, 9);
 * grid.set(0, 3, true);
 * grid.get(5, 12); // true on a torus: indices wrap
 */
export class Grid {
  readonly height: number;
  readonly width: number;
  readonly topology: Topology;
  readonly #cells: Uint8Array;

  /**
   * @throws {RangeError} for a size that is not two positive integers, or an unknown topology.
   * @throws {WorldTooLargeError} past `MAX_GRID_CELLS` cells (checked before allocating).
   */
  constructor(height: number, width: number, options: GridOptions = {}) {
    checkSize(height, width);
    const topology = options.topology ?? 'torus';
    if (topology !== 'torus' && topology !== 'plane') {
      throw new RangeError(`unknown topology ${JSON.stringify(topology)}; expected torus or plane`);
    }
    this.height = height;
    this.width = width;
    this.topology = topology;
    this.#cells = new Uint8Array(height * width);
    Object.defineProperty(this, CELLS, { value: this.#cells });
  }

  /**
   * A grid with the given live cells (`[x, y]` pairs).
   *
   * @example
   * Grid.fromCells(3, 3, [[1, 0], [2, 1], [0, 2], [1, 2], [2, 2]]); // a glider
   */
  static fromCells(
    height: number,
    width: number,
    cells: Iterable<XY>,
    options?: GridOptions,
  ): Grid {
    const grid = new Grid(height, width, options);
    for (const [x, y] of cells) grid.set(y, x, true);
    return grid;
  }

  /**
   * Read rows of `*` (alive) and `-` (empty), the format of `toString()`.
   *
   * @example
   * Grid.fromString('-*-\n-*-\n-*-').population; // 3
   */
  static fromString(text: string, options?: GridOptions): Grid {
    const rows = text.split('\n').map((row) => row.replace(/\r$/, ''));
    const width = rows[0]?.length ?? 0;
    const grid = new Grid(rows.length, width, options);
    rows.forEach((row, y) => {
      if (row.length !== width) {
        throw new RangeError(`row ${y + 1} has ${row.length} cells, expected ${width}`);
      }
      for (let x = 0; x < width; x++) {
        const ch = row[x];
        if (ch === ALIVE) grid.set(y, x, true);
        else if (ch !== EMPTY) {
          throw new RangeError(`unexpected ${JSON.stringify(ch)} at row ${y + 1}, column ${x + 1}`);
        }
      }
    });
    return grid;
  }

  #index(y: number, x: number): number {
    if (y >= 0 && y < this.height && x >= 0 && x < this.width) return y * this.width + x;
    if (this.topology === 'torus') {
      const h = this.height;
      const w = this.width;
      return (((y % h) + h) % h) * w + (((x % w) + w) % w);
    }
    return -1;
  }

  /** Whether the cell is alive. Torus: indices wrap. Plane: outside is dead. */
  get(y: number, x: number): boolean {
    const i = this.#index(y, x);
    return i >= 0 && this.#cells[i] === 1;
  }

  /** Set a cell. Torus: indices wrap. Plane: outside throws `RangeError`. */
  set(y: number, x: number, alive: boolean): void {
    const i = this.#index(y, x);
    if (i < 0) {
      throw new RangeError(`cell (${y}, ${x}) is outside the ${this.height}x${this.width} plane`);
    }
    this.#cells[i] = alive ? 1 : 0;
  }

  /** Number of live cells. */
  get population(): number {
    let n = 0;
    for (const c of this.#cells) n += c;
    return n;
  }

  /** Live cells as `[x, y]` pairs in row-major order. */
  liveCells(): XY[] {
    const out: XY[] = [];
    const w = this.width;
    this.#cells.forEach((c, i) => {
      if (c === 1) out.push([i % w, Math.floor(i / w)]);
    });
    return out;
  }

  /** Rows of `*` (alive) and `-` (empty) joined by `\n`, no trailing newline (the seed's `str(grid)`). */
  toString(): string {
    return [...this.rows()].join('\n');
  }

  /**
   * The rows of `toString()` one at a time (`*` alive, `-` empty), so a large grid can be
   * printed without building one string.
   *
   * @example
   * for (const row of grid.rows()) process.stdout.write(`${row}\n`);
   */
  *rows(): Generator<string> {
    const width = this.width;
    for (let y = 0; y < this.height; y++) {
      let row = '';
      for (let x = 0; x < width; x++) row += this.#cells[y * width + x] ? ALIVE : EMPTY;
      yield row;
    }
  }

  /** Same size, topology and cells. */
  equals(other: Grid): boolean {
    if (
      other.height !== this.height ||
      other.width !== this.width ||
      other.topology !== this.topology
    ) {
      return false;
    }
    const a = this.#cells;
    let b: Uint8Array;
    try {
      b = cellBytes(other);
    } catch {
      return false;
    }
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** An independent copy. */
  clone(): Grid {
    const copy = new Grid(this.height, this.width, { topology: this.topology });
    copy.#cells.set(this.#cells);
    return copy;
  }
}
