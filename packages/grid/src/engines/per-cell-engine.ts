import type { Executor } from '@fanout/executors/core';
import type { LifeLogic } from './cell-logic.js';
import { type LifeEngine, type StepOptions, StepSerializer, stepInSlices } from './engine.js';
import type { Grid, XY } from '../grid.js';
import { CONWAY, type LifeRule } from '../rule.js';
import { type SimulateOptions, simulate } from './simulate.js';

/** Options of `createPerCellEngine`. */
export interface PerCellEngineOptions {
  /** Default `B3/S23`. */
  readonly rule?: LifeRule;
  /** Per-cell rule callback, may be async. Default: apply `rule`. */
  readonly logic?: LifeLogic;
  /** Executor of the per-cell tasks (not closed by the engine). Default: unbounded gather. */
  readonly executor?: Executor;
  /** Most cells pending at once (see `simulate`). */
  readonly maxInFlight?: number;
}

class PerCell implements LifeEngine {
  readonly kind = 'per-cell' as const;
  readonly rule: LifeRule;
  readonly #options: PerCellEngineOptions;
  #grid: Grid;
  #generation = 0;
  readonly #serial = new StepSerializer('per-cell');

  constructor(grid: Grid, options: PerCellEngineOptions) {
    this.rule = options.rule ?? CONWAY;
    this.#options = options;
    this.#grid = grid.clone();
  }

  get generation(): number {
    return this.#generation;
  }

  step(generations = 1, options: StepOptions = {}): Promise<void> {
    const { signal } = options;
    const simulateOptions: SimulateOptions = {
      ...(this.#options.executor === undefined ? {} : { executor: this.#options.executor }),
      ...(this.#options.logic === undefined ? {} : { logic: this.#options.logic }),
      ...(this.#options.maxInFlight === undefined
        ? {}
        : { maxInFlight: this.#options.maxInFlight }),
      ...(signal === undefined ? {} : { signal }),
      rule: this.rule,
    };
    // Generations settle through microtasks when the logic is synchronous: the slicer keeps
    // signal handlers and timers running between them.
    const advance = async (): Promise<void> => {
      this.#grid = await simulate(this.#grid, simulateOptions);
      this.#generation++;
    };
    return this.#serial.run(generations, signal, (n) =>
      stepInSlices(n, options, advance, () => this.#generation),
    );
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
 * await using engine = createPerCellEngine(grid, { executor: pool });
 * await engine.step(4);
 */
export function createPerCellEngine(grid: Grid, options: PerCellEngineOptions = {}): LifeEngine {
  return new PerCell(grid, options);
}
