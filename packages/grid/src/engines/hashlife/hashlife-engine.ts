import { createSlicer, DEFAULT_SLICE_MS, type Slicer } from '@fanout/executors/core';
import { EngineClosedError, HashLifeMemoryError } from '../../errors.js';
import { Grid, type XY } from '../../grid.js';
import { isPattern, type Pattern } from '../../formats/pattern.js';
import { CONWAY, type LifeRule } from '../../rule.js';
import type { Macrocell } from '../../formats/macrocell.js';
import { parseGenerations } from './generations.js';
import { loadMacrocell, saveMacrocell } from './macrocell-tree.js';
import { BYTES_PER_NODE, StoreFullError } from './node-store.js';
import { Universe } from './universe.js';
import type { LifeEngine, StepOptions } from '../engine.js';

/** Options of `createHashLifeEngine`. */
export interface HashLifeEngineOptions {
  /** Default `B3/S23`; a macrocell's `#R` rule is used when this is not given. */
  readonly rule?: LifeRule;
  /**
   * Most memory the node cache may use, in MiB (like bgolly's `-M`). When it is full, nodes
   * the world no longer needs are collected. Default 512.
   */
  readonly maxMemoryMb?: number;
  /** Longest stretch of work before the event loop gets a turn, in ms. Default 20. */
  readonly sliceMs?: number;
}

/** How much of its memory budget the engine uses. */
export interface HashLifeStats {
  /** Nodes in use now. */
  readonly nodes: number;
  /** Nodes made since creation (collected ones included). */
  readonly nodesCreated: number;
  /** Bytes held by the node cache now (never above `maxBytes`). */
  readonly bytes: number;
  /** The budget, `maxMemoryMb` in bytes. */
  readonly maxBytes: number;
  /** Garbage collections so far. */
  readonly collections: number;
}

/** Smallest box holding every live cell, exactly. */
export interface HashLifeExactBounds {
  readonly x: bigint;
  readonly y: bigint;
  readonly width: bigint;
  readonly height: bigint;
}

/** Smallest box holding every live cell (numbers: exact up to 2^53). */
export interface HashLifeBounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The `hashlife` engine: Gosper's HashLife on an unbounded plane. Time jumps: `step(2n ** 40n)`
 * costs about as much as the pattern has distinct structure, not 2^40 generations.
 * Generations and populations are exact (`exactGeneration`, `exactPopulation()`).
 */
export interface HashLifeEngine extends LifeEngine {
  readonly kind: 'hashlife';
  readonly rule: LifeRule;
  /** Generations completed (as a number: exact up to 2^53; see `exactGeneration`). */
  readonly generation: number;
  /** Generations completed, exactly. */
  readonly exactGeneration: bigint;
  /**
   * Advance `generations` (default 1; a bigint or a string like `"1e12"`/`"2^40"` for
   * huge counts), as jumps of powers of two. Calls queue up. Rejects with
   * `EngineClosedError` after `close()`, `HashLifeMemoryError` if `maxMemoryMb` is too small.
   */
  step(generations?: number | bigint | string, options?: StepOptions): Promise<void>;
  /** Number of live cells (exact up to 2^53; see `exactPopulation`). */
  population(): number;
  /** Number of live cells, exactly. */
  exactPopulation(): bigint;
  /** Live cells as `[x, y]`, row-major (only for worlds small enough to list). */
  liveCells(): XY[];
  /** The bounding box of the live cells as a plane `Grid`. */
  snapshot(): Grid;
  /** Smallest box holding every live cell; undefined when the world is empty. */
  bounds(): HashLifeBounds | undefined;
  /** The same box exactly, as bigints (coordinates past 2^53 do not fit a number). */
  exactBounds(): HashLifeExactBounds | undefined;
  /** The cells of a window of the world as a plane `Grid`. */
  window(x: number, y: number, width: number, height: number): Grid;
  /**
   * A picture of the world at a zoom level: pixel (px, py) is 1 when the square of
   * 2^`scaleLog2` cells a side at (x + px·2^scaleLog2, y + py·2^scaleLog2) holds life.
   * Row-major, `width × height` bytes.
   */
  occupancy(x: number, y: number, width: number, height: number, scaleLog2: number): Uint8Array;
  /** The world as a macrocell (`formatMacrocell` writes it as a `.mc` file). */
  toMacrocell(comments?: readonly string[]): Macrocell;
  /** Memory use of the node cache. */
  stats(): HashLifeStats;
  /** Release the node cache. Idempotent; waits for a running `step`. */
  close(): Promise<void>;
}

class HashLife implements HashLifeEngine {
  readonly kind = 'hashlife' as const;
  readonly rule: LifeRule;
  readonly #universe: Universe;
  readonly #maxMemoryMb: number;
  readonly #sliceMs: number;
  #tail: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(rule: LifeRule, maxMemoryMb: number, sliceMs: number) {
    this.rule = rule;
    this.#maxMemoryMb = maxMemoryMb;
    this.#sliceMs = sliceMs;
    const maxNodes = Math.floor((maxMemoryMb * 2 ** 20) / BYTES_PER_NODE);
    this.#universe = new Universe(rule, maxNodes);
  }

  /** Run `action`, turning a full store into the public error. */
  guard<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      if (error instanceof StoreFullError) {
        throw new HashLifeMemoryError(this.#maxMemoryMb, error.liveNodes, { cause: error });
      }
      throw error;
    }
  }

  load(source: EngineSource): void {
    this.guard(() => {
      const u = this.#universe;
      if (isMacrocell(source)) {
        loadMacrocell(u, source);
      } else {
        u.setCells(cellsOf(source));
      }
    });
  }

  get generation(): number {
    return Number(this.#universe.generation);
  }

  get exactGeneration(): bigint {
    return this.#universe.generation;
  }

  step(generations: number | bigint | string = 1, options: StepOptions = {}): Promise<void> {
    if (this.#closed) return Promise.reject(new EngineClosedError('hashlife'));
    let n: bigint;
    try {
      n = parseGenerations(generations);
    } catch (error) {
      return Promise.reject(error);
    }
    const { signal, onProgress } = options;
    const result = this.#tail.then(async () => {
      if (this.#closed) throw new EngineClosedError('hashlife');
      signal?.throwIfAborted();
      const first = this.#universe.generation;
      const report =
        onProgress === undefined
          ? undefined
          : () =>
              onProgress({
                done: Number(this.#universe.generation - first),
                total: Number(n),
                generation: this.generation,
              });
      await this.#advance(
        n,
        createSlicer({ sliceMs: this.#sliceMs, ...(signal ? { signal } : {}) }),
        report,
      );
      report?.();
    });
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  async #advance(n: bigint, slicer: Slicer, report: (() => void) | undefined): Promise<void> {
    const u = this.#universe;
    let left = n;
    // Alternating B0 rules memoize jumps of 2 and more from even generations only.
    if (u.alternates && left > 0n && (u.generation & 1n) === 1n) {
      await this.#jump(0, slicer, report);
      left -= 1n;
    }
    for (let j = 1; left >> BigInt(j) > 0n; j++) {
      if ((left >> BigInt(j)) & 1n) await this.#jump(j, slicer, report);
    }
    if (left & 1n) await this.#jump(0, slicer, report);
  }

  async #jump(stepLog: number, slicer: Slicer, report: (() => void) | undefined): Promise<void> {
    const u = this.#universe;
    const root = this.guard(() => u.prepare(stepLog));
    u.evolver.start(root);
    try {
      while (!this.guard(() => u.evolver.run(() => slicer.due))) {
        report?.();
        await slicer.yield();
      }
    } catch (error) {
      u.evolver.cancel();
      throw error;
    }
    const result = u.evolver.takeResult();
    this.guard(() => u.finish(result, stepLog));
  }

  population(): number {
    return Number(this.#universe.population());
  }

  exactPopulation(): bigint {
    return this.#universe.population();
  }

  liveCells(): XY[] {
    const u = this.#universe;
    const o = u.origin;
    return u.cellsIn(o, o, -o, -o);
  }

  bounds(): HashLifeBounds | undefined {
    return this.#universe.bounds();
  }

  exactBounds(): HashLifeExactBounds | undefined {
    return this.#universe.exactBounds();
  }

  window(x: number, y: number, width: number, height: number): Grid {
    const grid = new Grid(height, width, { topology: 'plane' });
    for (const [cx, cy] of this.#universe.cellsIn(x, y, x + width, y + height)) {
      grid.set(cy - y, cx - x, true);
    }
    return grid;
  }

  snapshot(): Grid {
    const b = this.bounds();
    return b === undefined
      ? new Grid(1, 1, { topology: 'plane' })
      : this.window(b.x, b.y, b.width, b.height);
  }

  occupancy(x: number, y: number, width: number, height: number, scaleLog2: number): Uint8Array {
    for (const [name, v] of [
      ['width', width],
      ['height', height],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 0) {
        throw new RangeError(`occupancy ${name} must be a non-negative integer, got ${v}`);
      }
    }
    if (!Number.isInteger(scaleLog2) || scaleLog2 < 0 || scaleLog2 > 1000) {
      throw new RangeError(`scaleLog2 must be an integer from 0 to 1000, got ${scaleLog2}`);
    }
    return this.#universe.occupancy(x, y, width, height, scaleLog2);
  }

  toMacrocell(comments: readonly string[] = []): Macrocell {
    return saveMacrocell(this.#universe, this.rule, comments);
  }

  stats(): HashLifeStats {
    const store = this.#universe.store;
    return {
      nodes: store.liveNodes,
      nodesCreated: store.created,
      bytes: store.bytes,
      maxBytes: this.#maxMemoryMb * 2 ** 20,
      collections: store.collections,
    };
  }

  close(): Promise<void> {
    this.#closed = true;
    return this.#tail;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** What a HashLife world can start from. */
export type EngineSource = Pattern | Grid | Iterable<XY> | Macrocell;

function isMacrocell(source: EngineSource): source is Macrocell {
  return (
    typeof source === 'object' && source !== null && 'nodes' in source && 'generation' in source
  );
}

function cellsOf(source: Pattern | Grid | Iterable<XY>): Iterable<XY> {
  if (Symbol.iterator in source) return source;
  return isPattern(source) ? source.liveCells : source.liveCells();
}

/**
 * A HashLife engine for a pattern (placed with its box at the origin), a grid's live cells
 * (keeping their coordinates), a list of cells, or a macrocell file's tree (with its
 * generation and rule).
 *
 * @example
 * await using engine = createHashLifeEngine(getBuiltinPattern('gosper-gun'));
 * await engine.step(10n ** 9n);
 * engine.exactPopulation(); // 33333346n... exact, however large
 * @throws {HashLifeMemoryError} when the pattern alone does not fit in `maxMemoryMb`.
 */
export function createHashLifeEngine(
  source: EngineSource,
  options: HashLifeEngineOptions = {},
): HashLifeEngine {
  const maxMemoryMb = options.maxMemoryMb ?? 512;
  if (!(maxMemoryMb > 0) || !Number.isFinite(maxMemoryMb)) {
    throw new RangeError(`maxMemoryMb must be a positive number, got ${maxMemoryMb}`);
  }
  const minimum = (64 * BYTES_PER_NODE) / 2 ** 20;
  if (maxMemoryMb < minimum) {
    throw new RangeError(`maxMemoryMb must be at least ${minimum.toFixed(4)}, got ${maxMemoryMb}`);
  }
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const rule = options.rule ?? (isMacrocell(source) ? source.rule : undefined) ?? CONWAY;
  const engine = new HashLife(rule, maxMemoryMb, sliceMs);
  engine.load(source);
  return engine;
}
