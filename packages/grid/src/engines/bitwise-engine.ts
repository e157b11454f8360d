import { countPacked, getPacked, type PackedShape, stepRows } from './bitwise-kernel.js';
import { type LifeEngine, StepSerializer, checkGenerations } from './engine.js';
import { EngineClosedError } from '../errors.js';
import type { Grid, XY } from '../grid.js';
import { newBuffer, packInto, packedCells, shapeOf, unpack } from './packed-world.js';
import { CONWAY, type LifeRule } from '../rule.js';

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
   * The current packed world, read-only by convention, replaced after every generation
   * (read it again after stepping). World row `y` starts at `(y + 1) * wordsPerRow`
   * (row 0 and the last row are ghost rows); cell `x` is bit `x & 31` of word `x >> 5`.
   */
  readonly words: Uint32Array;
  /** 32-bit words per row. */
  readonly wordsPerRow: number;
}

/** Milliseconds of work between yields in `step`, so timers and aborts are seen. */
const SLICE_MS = 50;

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

  step(generations = 1, options: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = options;
    return this.#serial.run(generations, signal, async (n) => {
      let sliceStart = performance.now();
      for (let left = n; left > 0; left--) {
        this.#advance(1);
        if (left > 1 && performance.now() - sliceStart >= SLICE_MS) {
          await new Promise<void>((resolve) => setTimeout(resolve, 0));
          signal?.throwIfAborted();
          sliceStart = performance.now();
        }
      }
    });
  }

  isAlive(y: number, x: number): boolean {
    return getPacked(this.#current, this.#shape, y, x);
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
