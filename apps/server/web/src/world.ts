import {
  type BitwiseEngine,
  CONWAY,
  Grid,
  type LifeRule,
  type Pattern,
  createBitwiseEngine,
  placePattern,
} from '@fanout/grid';

/**
 * The world the page shows: a torus stepped by `@fanout/grid`'s bit-parallel engine, plus
 * the generation count across edits (editing a cell starts a new engine from a snapshot).
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
  paint(pixels: Uint32Array, alive: number, dead: number): number;
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
  #engine: BitwiseEngine;
  // Generations run by engines replaced after an edit.
  #earlier = 0;

  constructor(grid: Grid, rule: LifeRule) {
    this.width = grid.width;
    this.height = grid.height;
    this.rule = rule;
    this.#engine = createBitwiseEngine(grid, { rule });
  }

  get generation(): number {
    return this.#earlier + this.#engine.generation;
  }

  step(): void {
    this.#engine.stepSync(1);
  }

  paint(pixels: Uint32Array, alive: number, dead: number): number {
    const words = this.#engine.words;
    const perRow = this.#engine.wordsPerRow;
    const width = this.width;
    let population = 0;
    let pixel = 0;
    for (let y = 0; y < this.height; y++) {
      const rowStart = y * perRow;
      for (let w = 0; w < perRow; w++) {
        const x0 = w << 5;
        const count = Math.min(32, width - x0);
        // Bits past the width (if any) are masked off so they are neither drawn nor counted.
        let bits = words[rowStart + w] ?? 0;
        if (count < 32) bits &= (1 << count) - 1;
        if (bits === 0) {
          pixels.fill(dead, pixel, pixel + count);
        } else {
          population += popcount(bits);
          for (let b = 0; b < count; b++) pixels[pixel + b] = (bits >>> b) & 1 ? alive : dead;
        }
        pixel += count;
      }
    }
    return population;
  }

  isAlive(x: number, y: number): boolean {
    return this.#engine.isAlive(y, x);
  }

  toggle(x: number, y: number): void {
    const grid = this.#engine.snapshot();
    grid.set(y, x, !grid.get(y, x));
    this.#earlier += this.#engine.generation;
    void this.#engine.close();
    this.#engine = createBitwiseEngine(grid, { rule: this.rule });
  }

  liveCells(): Array<[number, number]> {
    return this.#engine.liveCells().map(([x, y]) => [x, y]);
  }
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
