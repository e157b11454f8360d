import { type PackedShape, stepRows } from './bitwise-kernel.js';
import { type LifeEngine, type StepOptions, StepSerializer, stepInSlices } from './engine.js';
import { Grid, type XY } from '../grid.js';
import { isPattern, type Pattern } from '../formats/pattern.js';
import { CONWAY, type LifeRule, ruleMask } from '../rule.js';

/** Bounds of the live cells of an unbounded world. */
export interface WorldBounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The `unbounded` engine: a world without edges that grows with its pattern. */
export interface UnboundedEngine extends LifeEngine {
  readonly kind: 'unbounded';
  /** The smallest box holding every live cell; undefined when the world is empty. */
  bounds(): WorldBounds | undefined;
  /** The cells of a window of the world as a plane `Grid`. */
  window(x: number, y: number, width: number, height: number): Grid;
}

/** Options of `createUnboundedEngine`. */
export interface UnboundedEngineOptions {
  /** Default `B3/S23`. */
  readonly rule?: LifeRule;
}

const TILE = 32;
const KEY_SPAN = 2 ** 26;
const KEY_OFFSET = 2 ** 25;

const keyOf = (tx: number, ty: number): number => (tx + KEY_OFFSET) * KEY_SPAN + (ty + KEY_OFFSET);
const txOf = (key: number): number => Math.floor(key / KEY_SPAN) - KEY_OFFSET;
const tyOf = (key: number): number => (key % KEY_SPAN) - KEY_OFFSET;

// A 3×3 block of tiles laid out as a 34-row, 96-cell plane (plus the kernel's ghost rows):
// world row 0 is the last row of the tiles above, rows 1..32 the middle tiles, row 33 the
// first row of the tiles below.
const BLOCK_WPR = 3;
const BLOCK_ROWS = TILE + 2;

class Unbounded implements UnboundedEngine {
  readonly kind = 'unbounded' as const;
  readonly rule: LifeRule;
  #tiles = new Map<number, Uint32Array>();
  #generation = 0;
  readonly #serial = new StepSerializer('unbounded');
  readonly #shape: PackedShape;
  readonly #block = new Uint32Array((BLOCK_ROWS + 2) * BLOCK_WPR);
  readonly #out = new Uint32Array((BLOCK_ROWS + 2) * BLOCK_WPR);

  constructor(cells: Iterable<XY>, rule: LifeRule) {
    this.rule = rule;
    this.#shape = {
      height: BLOCK_ROWS,
      width: TILE * 3,
      wordsPerRow: BLOCK_WPR,
      torus: false,
      rule: ruleMask(rule),
    };
    for (const [x, y] of cells) this.#set(x, y);
  }

  #set(x: number, y: number): void {
    if (
      !Number.isSafeInteger(x) ||
      !Number.isSafeInteger(y) ||
      Math.abs(x) >= 2 ** 30 ||
      Math.abs(y) >= 2 ** 30
    ) {
      throw new RangeError(`cell (${x}, ${y}) is outside the supported range of ±2^30`);
    }
    const tx = Math.floor(x / TILE);
    const ty = Math.floor(y / TILE);
    const key = keyOf(tx, ty);
    let tile = this.#tiles.get(key);
    if (tile === undefined) {
      tile = new Uint32Array(TILE);
      this.#tiles.set(key, tile);
    }
    tile[y - ty * TILE] = tile[y - ty * TILE]! | (1 << (x - tx * TILE));
  }

  get generation(): number {
    return this.#generation;
  }

  #nextTile(tx: number, ty: number): Uint32Array | undefined {
    const block = this.#block;
    block.fill(0);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const tile = this.#tiles.get(keyOf(tx + dx, ty + dy));
        if (tile === undefined) continue;
        const first = dy === -1 ? TILE - 1 : 0;
        const last = dy === 1 ? 0 : TILE - 1;
        for (let r = first; r <= last; r++) {
          // Block world row of tile row r, plus 1 for the kernel's ghost row.
          const row = (dy + 1) * TILE + r - (TILE - 1) + 1;
          block[row * BLOCK_WPR + dx + 1] = tile[r]!;
        }
      }
    }
    stepRows(block, this.#out, this.#shape, 1, 1 + TILE);
    let any = 0;
    const next = new Uint32Array(TILE);
    for (let r = 0; r < TILE; r++) {
      const word = this.#out[(r + 2) * BLOCK_WPR + 1]!;
      next[r] = word;
      any |= word;
    }
    return any === 0 ? undefined : next;
  }

  #advance(): void {
    const candidates = new Set<number>();
    for (const key of this.#tiles.keys()) {
      const tx = txOf(key);
      const ty = tyOf(key);
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) candidates.add(keyOf(tx + dx, ty + dy));
    }
    const next = new Map<number, Uint32Array>();
    for (const key of candidates) {
      const tile = this.#nextTile(txOf(key), tyOf(key));
      if (tile !== undefined) next.set(key, tile);
    }
    this.#tiles = next;
    this.#generation++;
  }

  step(generations = 1, options: StepOptions = {}): Promise<void> {
    return this.#serial.run(generations, options.signal, (n) =>
      stepInSlices(n, options, this.#advanceOne, () => this.#generation),
    );
  }

  readonly #advanceOne = (): void => this.#advance();

  liveCells(): XY[] {
    const out: XY[] = [];
    for (const [key, tile] of this.#tiles) {
      const x0 = txOf(key) * TILE;
      const y0 = tyOf(key) * TILE;
      for (let r = 0; r < TILE; r++) {
        let word = tile[r]! | 0;
        while (word !== 0) {
          out.push([x0 + 31 - Math.clz32(word & -word), y0 + r]);
          word &= word - 1;
        }
      }
    }
    return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  }

  population(): number {
    let n = 0;
    for (const tile of this.#tiles.values()) {
      for (let r = 0; r < TILE; r++) {
        let v = tile[r]! | 0;
        while (v !== 0) {
          v &= v - 1;
          n++;
        }
      }
    }
    return n;
  }

  bounds(): WorldBounds | undefined {
    const cells = this.liveCells();
    if (cells.length === 0) return undefined;
    let minX = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    for (const [x] of cells) {
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
    }
    const minY = cells[0]![1];
    const maxY = cells[cells.length - 1]![1];
    return { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
  }

  window(x: number, y: number, width: number, height: number): Grid {
    const grid = new Grid(height, width, { topology: 'plane' });
    for (const [cx, cy] of this.liveCells()) {
      if (cx >= x && cx < x + width && cy >= y && cy < y + height) grid.set(cy - y, cx - x, true);
    }
    return grid;
  }

  snapshot(): Grid {
    const b = this.bounds();
    return b === undefined
      ? new Grid(1, 1, { topology: 'plane' })
      : this.window(b.x, b.y, b.width, b.height);
  }

  close(): Promise<void> {
    return this.#serial.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function cellsOf(source: Pattern | Grid | Iterable<XY>): Iterable<XY> {
  if (Symbol.iterator in source) return source;
  return isPattern(source) ? source.liveCells : source.liveCells();
}

/**
 * The `unbounded` engine: a world without edges stored as sparse 32×32 tiles, so escaping
 * gliders travel on forever instead of wrapping. A `Pattern` is placed with its box at the
 * origin; a `Grid`'s cells keep their coordinates.
 *
 * @example
 * await using engine = createUnboundedEngine(getBuiltinPattern('gosper-gun'));
 * await engine.step(300);
 * engine.bounds(); // grows as gliders leave the gun
 */
export function createUnboundedEngine(
  source: Pattern | Grid | Iterable<XY>,
  options: UnboundedEngineOptions = {},
): UnboundedEngine {
  return new Unbounded(cellsOf(source), options.rule ?? CONWAY);
}
