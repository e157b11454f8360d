import { EngineClosedError } from '../errors.js';
import type { Grid, XY } from '../grid.js';
import { CONWAY, type LifeRule } from '../rule.js';
import { countPacked, getPacked, type PackedShape, setPacked, stepRows } from './bitwise-kernel.js';
import {
  checkGenerations,
  type LifeEngine,
  type StepOptions,
  StepSerializer,
  stepInSlices,
} from './engine.js';
import { newBuffer, packInto, packedCells, shapeOf, unpack } from './packed-world.js';

/** Options of the packed engines. */
export interface BitwiseEngineOptions {
  /** Default `B3/S23`. */
  readonly rule?: LifeRule;
}

/** The `bitwise` engine, with synchronous stepping and direct access for renderers. */
export interface BitwiseEngine extends LifeEngine {
  readonly kind: 'bitwise';
  /**
   * Advance synchronously (default 1 generation). Allocation-free: meant for animation
   * loops (`requestAnimationFrame`). Throws `EngineClosedError` after `close()`.
   */
  stepSync(generations?: number): void;
  /** Whether the cell at `(y, x)` (inside the world) is alive. */
  isAlive(y: number, x: number): boolean;
  /**
   * Set or clear the cell at `(y, x)` in the current generation (a user's click in an
   * editor). On a torus the indices wrap, like `Grid#set`; on a plane a cell outside throws
   * `RangeError`. Throws `EngineClosedError` after `close()`.
   */
  set(y: number, x: number, alive: boolean): void;
  /**
   * The current packed world, read-only by convention (change cells with `set`), replaced
   * after every generation (read it again after stepping). World row `y` starts at
   * `words[rowStart(y)]`; cell `x` is bit `x & 31` of word `x >> 5` of its row. Words
   * outside the world's rows (the kernel's ghost rows) are not cells.
   */
  readonly words: Uint32Array;
  /** 32-bit words per row. */
  readonly wordsPerRow: number;
  /** Index in `words` of the first word of world row `y` (`0 <= y < height`). */
  rowStart(y: number): number;
}

class Bitwise implements BitwiseEngine {
  readonly kind = 'bitwise' as const;
  readonly rule: LifeRule;
  readonly #shape: PackedShape;
  #current: Uint32Array;
  #next: Uint32Array;
  #generation = 0;
  readonly #serial = new StepSerializer('bitwise');

  constructor(grid: Grid, rule: LifeRule) {
    this.rule = rule;
    this.#shape = shapeOf(grid, rule);
    this.#current = newBuffer(this.#shape);
    this.#next = newBuffer(this.#shape);
    packInto(grid, this.#shape, this.#current);
  }

  get generation(): number {
    return this.#generation;
  }

  get words(): Uint32Array {
    return this.#current;
  }

  get wordsPerRow(): number {
    return this.#shape.wordsPerRow;
  }

  stepSync(generations = 1): void {
    if (this.#serial.closed) throw new EngineClosedError('bitwise');
    checkGenerations(generations);
    this.#advance(generations);
  }

  #advance(generations: number): void {
    const shape = this.#shape;
    for (let g = 0; g < generations; g++) {
      stepRows(this.#current, this.#next, shape, 0, shape.height);
      const done = this.#current;
      this.#current = this.#next;
      this.#next = done;
      this.#generation++;
    }
  }

  step(generations = 1, options: StepOptions = {}): Promise<void> {
    return this.#serial.run(generations, options.signal, (n) =>
      stepInSlices(n, options, this.#advanceOne, () => this.#generation),
    );
  }

  readonly #advanceOne = (): void => this.#advance(1);

  isAlive(y: number, x: number): boolean {
    return getPacked(this.#current, this.#shape, y, x);
  }

  set(y: number, x: number, alive: boolean): void {
    if (this.#serial.closed) throw new EngineClosedError('bitwise');
    const { height, width, torus } = this.#shape;
    if (!Number.isInteger(y) || !Number.isInteger(x)) {
      throw new RangeError(`cell (${y}, ${x}) is not at integer coordinates`);
    }
    let row = y;
    let column = x;
    if (torus) {
      row = ((y % height) + height) % height;
      column = ((x % width) + width) % width;
    } else if (y < 0 || y >= height || x < 0 || x >= width) {
      throw new RangeError(`cell (${y}, ${x}) is outside the ${height}x${width} plane`);
    }
    setPacked(this.#current, this.#shape, row, column, alive);
  }

  rowStart(y: number): number {
    return (y + 1) * this.#shape.wordsPerRow;
  }

  snapshot(): Grid {
    return unpack(this.#current, this.#shape);
  }

  liveCells(): XY[] {
    return packedCells(this.#current, this.#shape);
  }

  population(): number {
    return countPacked(this.#current, this.#shape);
  }

  close(): Promise<void> {
    return this.#serial.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * The `bitwise` engine: cells packed 32 to a word, neighbour counts for 32 cells at once
 * with bit-sliced adders, any B/S rule, one thread. Browser-safe.
 *
 * @example
 * const engine = createBitwiseEngine(placePattern(getBuiltinPattern('acorn'), { height: 256, width: 256 }));
 * engine.stepSync(100);
 * engine.population();
 */
export function createBitwiseEngine(grid: Grid, options: BitwiseEngineOptions = {}): BitwiseEngine {
  return new Bitwise(grid, options.rule ?? CONWAY);
}
