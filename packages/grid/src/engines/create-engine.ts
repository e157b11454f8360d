import type { Executor } from '@fanout/executors/core';
import { isPattern, type Pattern } from '../formats/pattern.js';
import type { Grid, Topology } from '../grid.js';
import { checkWorldSize } from '../limits.js';
import { type PlacePatternOptions, placePattern } from '../place.js';
import type { LifeRule } from '../rule.js';
import { type BitwiseEngine, createBitwiseEngine } from './bitwise-engine.js';
import type { LifeLogic } from './cell-logic.js';
import type { EngineKind, LifeEngine } from './engine.js';
import { createPerCellEngine } from './per-cell-engine.js';
import { createHashLifeEngine, type HashLifeEngine } from './hashlife/hashlife-engine.js';
import { createUnboundedEngine, type UnboundedEngine } from './unbounded-engine.js';
import type { WorkersEngine } from './workers/types.js';

/**
 * Options of `createEngine`: the engine `kind` and everything any engine takes. An option
 * that does not apply to the kind (say `threads` for `bitwise`) throws `RangeError`, so a
 * typo in a caller's wiring is not silently ignored.
 */
export interface EngineOptions {
  readonly kind: EngineKind;
  /** Default `B3/S23`. */
  readonly rule?: LifeRule;
  /** `per-cell`: the executor of the per-cell tasks (not closed by the engine). */
  readonly executor?: Executor;
  /** `per-cell`: the rule callback, may be async (see `delayedLogic`). */
  readonly logic?: LifeLogic;
  /** `per-cell`: most cells pending at once (see `simulate`). */
  readonly maxInFlight?: number;
  /** `workers`: worker threads. */
  readonly threads?: number;
  /** `hashlife`: most memory its node cache may use, in MiB (default 512; bgolly's `-M`). */
  readonly maxMemoryMb?: number;
  /**
   * Bounded kinds given a `Pattern`: the world's size. Default: the pattern's
   * `boundedGrid` (Golly's rule suffix); without one, a size is required.
   */
  readonly size?: { readonly height: number; readonly width: number };
  /** Bounded kinds given a `Pattern`: default the pattern's `boundedGrid`, else `torus`. */
  readonly topology?: Topology;
  /**
   * Bounded kinds given a `Pattern`: where it goes (see `placePattern`). Default `'golly'`
   * when the size is the pattern's own bounded grid, else `'center'`.
   */
  readonly at?: PlacePatternOptions['at'];
}

/** The engine `createEngine` returns for each kind. */
export interface EngineByKind {
  'per-cell': LifeEngine;
  bitwise: BitwiseEngine;
  workers: WorkersEngine;
  unbounded: UnboundedEngine;
  hashlife: HashLifeEngine;
}

/** Builds one kind of engine from a world and validated options. */
export type EngineFactory = (
  world: Grid | Pattern,
  options: EngineOptions,
) => LifeEngine | Promise<LifeEngine>;

const PER_CELL_OPTIONS = ['executor', 'logic', 'maxInFlight'] as const;
const BOUNDED_WORLD_OPTIONS = ['size', 'topology', 'at'] as const;

/** Which options only some kinds take. */
const ONLY_FOR: Readonly<Record<string, readonly EngineKind[]>> = {
  executor: ['per-cell'],
  logic: ['per-cell'],
  maxInFlight: ['per-cell'],
  threads: ['workers'],
  maxMemoryMb: ['hashlife'],
  size: ['per-cell', 'bitwise', 'workers'],
  topology: ['per-cell', 'bitwise', 'workers'],
  at: ['per-cell', 'bitwise', 'workers'],
};

function checkOptionsApply(options: EngineOptions): void {
  for (const [option, kinds] of Object.entries(ONLY_FOR)) {
    const value = (options as unknown as Record<string, unknown>)[option];
    if (value !== undefined && !kinds.includes(options.kind)) {
      throw new RangeError(
        `${option} does not apply to the ${options.kind} engine (only to ${kinds.join(', ')})`,
      );
    }
  }
}

/**
 * The grid a bounded engine starts from: a `Grid` as it is, a `Pattern` placed in a world
 * whose size is checked against the engine's limit before it is allocated.
 */
export function boundedWorld(world: Grid | Pattern, options: EngineOptions): Grid {
  if (!isPattern(world)) {
    for (const option of BOUNDED_WORLD_OPTIONS) {
      if (options[option] !== undefined) {
        throw new RangeError(`${option} applies to a Pattern; a Grid has its own size and place`);
      }
    }
    checkWorldSize(world, options.kind);
    return world;
  }
  const size = options.size ?? world.boundedGrid;
  if (size === undefined) {
    throw new RangeError(
      `the ${options.kind} engine needs a size for a pattern without a bounded grid (options.size)`,
    );
  }
  checkWorldSize(size, options.kind);
  return placePattern(world, {
    height: size.height,
    width: size.width,
    topology: options.topology ?? world.boundedGrid?.topology ?? 'torus',
    at: options.at ?? (options.size === undefined ? 'golly' : 'center'),
  });
}

function perCellOptions(options: EngineOptions): Parameters<typeof createPerCellEngine>[1] {
  const picked: Record<string, unknown> = {};
  for (const option of ['rule', ...PER_CELL_OPTIONS] as const) {
    if (options[option] !== undefined) picked[option] = options[option];
  }
  return picked;
}

const ruleOf = (options: EngineOptions) =>
  options.rule === undefined ? {} : { rule: options.rule };

/** The kinds every entry can build (no Node built-ins needed). */
export const portableFactories: Readonly<Partial<Record<EngineKind, EngineFactory>>> = {
  'per-cell': (world, options) =>
    createPerCellEngine(boundedWorld(world, options), perCellOptions(options)),
  bitwise: (world, options) => createBitwiseEngine(boundedWorld(world, options), ruleOf(options)),
  unbounded: (world, options) => createUnboundedEngine(world, ruleOf(options)),
  hashlife: (world, options) =>
    createHashLifeEngine(world, {
      ...ruleOf(options),
      ...(options.maxMemoryMb === undefined ? {} : { maxMemoryMb: options.maxMemoryMb }),
    }),
};

/** `createEngine` over a table of factories (the Node entry adds `workers`). */
export async function buildEngine(
  world: Grid | Pattern,
  options: EngineOptions,
  factories: Readonly<Partial<Record<EngineKind, EngineFactory>>>,
): Promise<LifeEngine> {
  const factory = factories[options.kind];
  if (factory === undefined) {
    throw new RangeError(
      options.kind === 'workers'
        ? 'the workers engine runs on Node worker threads: use createEngine of @fanout/grid/workers'
        : `unknown engine kind ${JSON.stringify(options.kind)}`,
    );
  }
  checkOptionsApply(options);
  return factory(world, options);
}

/**
 * Build any engine by kind, from a `Grid` or a `Pattern`: the one place that knows how each
 * engine is made. A bounded kind given a `Pattern` places it in a world of `size` (default:
 * the pattern's Golly bounded grid), after checking that size against what the engine can
 * hold (`WorldTooLargeError`), before allocating. The `unbounded` engine takes a `Pattern`
 * with its box at the origin, or a `Grid`'s cells where they are; so does `hashlife`.
 *
 * This entry builds `per-cell`, `bitwise`, `unbounded` and `hashlife`; `createEngine` from
 * `@fanout/grid/workers` (Node) builds `workers` too.
 *
 * @example
 * await using engine = await createEngine(getBuiltinPattern('acorn'), {
 *   kind: 'bitwise',
 *   size: { height: 256, width: 256 },
 * });
 * await engine.step(1000);
 * @throws {WorldTooLargeError} when the world is larger than the engine holds.
 * @throws {RangeError} for an option that does not apply to the kind, or a missing size.
 */
export function createEngine<K extends Exclude<EngineKind, 'workers'>>(
  world: Grid | Pattern,
  options: EngineOptions & { readonly kind: K },
): Promise<EngineByKind[K]> {
  return buildEngine(world, options, portableFactories) as Promise<EngineByKind[K]>;
}
