import type { Executor } from '@fanout/executors/core';
import type { LifeLogic } from './cell-logic.js';
import type { LifeEngine } from './engine.js';
import { StepSerializer } from './engine.js';
import type { Grid, XY } from '../grid.js';
import { CONWAY, type LifeRule } from '../rule.js';
import { simulate } from './simulate.js';

/** Options of `createCellsEngine`. */
export interface CellsEngineOptions {
  /** Default `B3/S23`. */
  readonly rule?: LifeRule;
  /** Per-cell rule callback, may be async. Default: apply `rule`. */
  readonly logic?: LifeLogic;
  /** Executor of the per-cell tasks (not closed by the engine). Default: unbounded gather. */
  readonly executor?: Executor;
  /** Most cells pending at once (see `simulate`). */
  readonly maxInFlight?: number;
}

class Cells implements LifeEngine {
  readonly kind = 'cells' as const;
  readonly rule: LifeRule;
  readonly #options: CellsEngineOptions;
  #grid: Grid;
  #generation = 0;
  readonly #serial = new StepSerializer('cells');

  constructor(grid: Grid, options: CellsEngineOptions) {
    this.rule = options.rule ?? CONWAY;
    this.#options = options;
    this.#grid = grid.clone();
  }

  get generation(): number {
    return this.#generation;
  }

  step(generations = 1, options: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = options;
    return this.#serial.run(generations, signal, async (n) => {
      for (let g = 0; g < n; g++) {
        this.#grid = await simulate(this.#grid, {
          ...(this.#options.executor === undefined ? {} : { executor: this.#options.executor }),
          ...(this.#options.logic === undefined ? {} : { logic: this.#options.logic }),
          ...(this.#options.maxInFlight === undefined
            ? {}
            : { maxInFlight: this.#options.maxInFlight }),
          ...(signal === undefined ? {} : { signal }),
          rule: this.rule,
        });
        this.#generation++;
      }
    });
  }

  snapshot(): Grid {
    return this.#grid.clone();
  }

  liveCells(): XY[] {
    return this.#grid.liveCells();
  }

  population(): number {
    return this.#grid.population;
  }

  close(): Promise<void> {
    return this.#serial.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * The `cells` engine: the seed's design, one task per cell per generation through an
 * executor (see `simulate`). The grid is copied; the executor stays the caller's.
 *
 * @example
 * await using pool = new AsyncPool({ maxConcurrency: 100 });
 * await using engine = createCellsEngine(grid, { executor: pool });
 * await engine.step(4);
 */
export function createCellsEngine(grid: Grid, options: CellsEngineOptions = {}): LifeEngine {
  return new Cells(grid, options);
}
