import {
  type BitwiseEngine,
  CONWAY,
  Grid,
  type LifeRule,
  type Pattern,
  createBitwiseEngine,
  placePattern,
} from '@fanout/grid';
import { type Palette, paintPacked } from './palette.js';

/**
 * The world the page shows: a torus stepped by `@fanout/grid`'s bit-parallel engine, edited
 * in place (a click sets one cell of the engine's current generation).
 */
export interface World {
  readonly width: number;
  readonly height: number;
  readonly rule: LifeRule;
  readonly generation: number;
  /** Advances one generation (allocation-free). */
  step(): void;
  /**
   * Writes one colour per cell into `pixels` (row-major, `width × height`) and returns the
   * population. Reads the engine's packed words directly; allocates nothing.
   */
  paint(pixels: Uint32Array, palette: Palette): number;
  isAlive(x: number, y: number): boolean;
  /** Flips one cell (a user's click). */
  toggle(x: number, y: number): void;
  /** Live cells as `[x, y]` pairs. */
  liveCells(): Array<[number, number]>;
}

/** A pattern ready to be placed, with the name the page shows for it. */
export interface NamedPattern extends Pattern {
  readonly label: string;
}

/** A `width × height` torus, empty or with `pattern` in its middle (under its own rule). */
export function createWorld(width: number, height: number, pattern?: NamedPattern): World {
  const grid =
    pattern === undefined
      ? new Grid(height, width)
      : placePattern(pattern, { height, width, topology: 'torus', at: 'center' });
  return new BitwiseWorld(grid, pattern?.rule ?? CONWAY);
}

class BitwiseWorld implements World {
  readonly width: number;
  readonly height: number;
  readonly rule: LifeRule;
  readonly #engine: BitwiseEngine;

  constructor(grid: Grid, rule: LifeRule) {
    this.width = grid.width;
    this.height = grid.height;
    this.rule = rule;
    this.#engine = createBitwiseEngine(grid, { rule });
  }

  get generation(): number {
    return this.#engine.generation;
  }

  step(): void {
    this.#engine.stepSync(1);
  }

  paint(pixels: Uint32Array, palette: Palette): number {
    const engine = this.#engine;
    const { words, wordsPerRow } = engine;
    return paintPacked(
      words,
      engine.rowStart(0),
      wordsPerRow,
      this.width,
      this.height,
      pixels,
      palette,
    );
  }

  isAlive(x: number, y: number): boolean {
    return this.#engine.isAlive(y, x);
  }

  toggle(x: number, y: number): void {
    this.#engine.set(y, x, !this.#engine.isAlive(y, x));
  }

  liveCells(): Array<[number, number]> {
    return this.#engine.liveCells().map(([x, y]) => [x, y]);
  }
}
