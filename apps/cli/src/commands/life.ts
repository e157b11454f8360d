/**
 * `fanout life`: builds the world from the flags, runs the chosen grid engine and prints
 * columns, the final grid, a summary or one JSON object.
 */
import { writeFile } from 'node:fs/promises';
import { setTimeout as delay, setImmediate as nextTurn } from 'node:timers/promises';
import { AsyncPool, type Executor, InlineExecutor } from '@fanout/executors';
import {
  createBitwiseEngine,
  createCellsEngine,
  createUnboundedEngine,
  formatColumns,
  formatRle,
  type Grid,
  type LifeEngine,
  type LifeLogic,
  type LifeRule,
  placePattern,
  ruleLogic,
} from '@fanout/grid';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Size } from '../options.js';
import {
  formatCount,
  formatSeconds,
  roundRate,
  roundSeconds,
  writeJson,
  writeOut,
} from '../output.js';
import type { CommandContext } from '../program.js';
import { progressEnabled, startProgress } from '../progress.js';
import { resolveWorld, type WorldSource } from './life-world.js';

/** Parsed flags of `fanout life`. */
export interface LifeOptions {
  pattern?: string;
  random?: number;
  seed?: number;
  size?: Size;
  topology: 'torus' | 'plane' | 'unbounded';
  generations: number;
  rule: string;
  engine: 'cells' | 'bitwise' | 'workers';
  executor?: 'inline' | 'pool' | 'async';
  maxWorkers?: number;
  ioMs?: number;
  threads?: number;
  print: 'columns' | 'final' | 'none';
  out?: string;
  json?: boolean;
}

/** Target duration of one slice of generations between event-loop turns. */
const SLICE_MS = 25;

/** The seed's `ThreadPoolExecutor(max_workers=10)`. */
const DEFAULT_MAX_WORKERS = 10;

function validate(options: LifeOptions, command: Command): void {
  const given = (name: string) => command.getOptionValueSource(name) === 'cli';
  if (options.seed !== undefined && options.random === undefined) {
    throw new UsageError('--seed only applies to --random');
  }
  const engine = options.topology === 'unbounded' ? 'unbounded' : options.engine;
  if (options.topology === 'unbounded' && given('engine')) {
    throw new UsageError('--topology unbounded runs its own engine; --engine does not apply');
  }
  if (options.topology === 'unbounded' && options.random !== undefined) {
    throw new UsageError('--random needs a bounded world (--topology torus or plane)');
  }
  for (const flag of ['executor', 'maxWorkers', 'ioMs'] as const) {
    if (options[flag] !== undefined && engine !== 'cells') {
      const name = flag === 'maxWorkers' ? 'max-workers' : flag === 'ioMs' ? 'io-ms' : flag;
      throw new UsageError(`--${name} only applies to --engine cells`);
    }
  }
  if (options.maxWorkers !== undefined && (options.executor ?? 'pool') !== 'pool') {
    throw new UsageError('--max-workers only applies to --executor pool');
  }
  if (options.threads !== undefined && engine !== 'workers') {
    throw new UsageError('--threads only applies to --engine workers');
  }
  if (options.json && given('print') && options.print !== 'none') {
    throw new UsageError(
      `--json prints one JSON object; it cannot be used with --print ${options.print}`,
    );
  }
}

function createExecutor(options: LifeOptions): Executor | undefined {
  switch (options.executor ?? 'pool') {
    case 'inline':
      return new InlineExecutor();
    case 'pool':
      return new AsyncPool({ maxConcurrency: options.maxWorkers ?? DEFAULT_MAX_WORKERS });
    case 'async':
      // No executor: the grid package gathers every cell's task at once, like asyncio.gather.
      return undefined;
  }
}

/**
 * The seed's `game_logic` with an awaited delay standing in for its socket read. The delay
 * is short, so it is not tied to the signal (thousands of cells would each add a listener);
 * the abort is checked right after it.
 */
function slowLogic(rule: LifeRule, ioMs: number): LifeLogic {
  const logic = ruleLogic(rule);
  return async (alive, neighbors, cell) => {
    await delay(ioMs);
    cell.signal.throwIfAborted();
    return logic(alive, neighbors, cell);
  };
}

interface RunningEngine {
  engine: LifeEngine;
  /** The grid shown for a generation (unbounded: a fixed window). */
  view(): Grid;
  executor?: Executor;
}

async function startEngine(options: LifeOptions, world: WorldSource): Promise<RunningEngine> {
  if (options.topology === 'unbounded') {
    const engine = createUnboundedEngine(world.pattern, { rule: world.rule });
    return { engine, view: () => engine.window(0, 0, world.size.width, world.size.height) };
  }
  const grid = placePattern(world.pattern, { ...world.size, topology: options.topology });
  if (options.engine === 'bitwise') {
    const engine = createBitwiseEngine(grid, { rule: world.rule });
    return { engine, view: () => engine.snapshot() };
  }
  if (options.engine === 'workers') {
    // Loaded on demand: the worker engine is Node-only and starts threads.
    const { createWorkersEngine } = await import('@fanout/grid/workers');
    const engine = await createWorkersEngine(grid, {
      rule: world.rule,
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    });
    return { engine, view: () => engine.snapshot() };
  }
  const executor = createExecutor(options);
  const engine = createCellsEngine(grid, {
    rule: world.rule,
    ...(executor ? { executor } : {}),
    ...(options.ioMs ? { logic: slowLogic(world.rule, options.ioMs) } : {}),
  });
  return { engine, view: () => engine.snapshot(), ...(executor ? { executor } : {}) };
}

/** Runs `fanout life` with parsed flags. */
export async function runLife(
  options: LifeOptions,
  command: Command,
  context: CommandContext,
): Promise<void> {
  validate(options, command);
  const world = await resolveWorld({
    ...options,
    ruleGiven: command.getOptionValueSource('rule') === 'cli',
  });
  const json = options.json === true;
  const print = json ? 'none' : options.print;
  const running = await startEngine(options, world);
  const { engine } = running;
  const progress = startProgress('life', progressEnabled(json));
  try {
    const columns: Grid[] = print === 'columns' ? [running.view()] : [];
    const total = options.generations;
    const started = performance.now();
    // Step in slices of ~SLICE_MS, yielding to the event loop between them: engines that
    // settle through microtasks would otherwise starve signal handlers and the progress line.
    let slice = 1;
    for (let done = 0; done < total; ) {
      const steps = print === 'columns' ? 1 : Math.min(slice, total - done);
      const sliceStarted = performance.now();
      await engine.step(steps, { signal: context.signal });
      done += steps;
      if (print === 'columns') columns.push(running.view());
      progress.update('generation', done, total);
      const elapsed = performance.now() - sliceStarted;
      if (elapsed < SLICE_MS / 2) slice *= 2;
      else if (elapsed > SLICE_MS * 2 && slice > 1) slice = Math.ceil(slice / 2);
      await nextTurn();
      context.signal.throwIfAborted();
    }
    const seconds = (performance.now() - started) / 1000;
    progress.stop();
    const final = running.view();
    const snapshot = options.topology === 'unbounded' ? engine.snapshot() : final;
    const population = engine.population();
    const cellUpdates = snapshot.width * snapshot.height * total;
    const rate = seconds > 0 ? cellUpdates / seconds : 0;
    if (options.out !== undefined) {
      await writeFile(options.out, formatRle(snapshot, { rule: world.rule }));
    }
    if (json) {
      await writeJson({
        generations: total,
        population,
        width: snapshot.width,
        height: snapshot.height,
        engine: engine.kind,
        seconds: roundSeconds(seconds),
        cellUpdatesPerSecond: roundRate(rate),
      });
    } else if (print === 'columns') {
      await writeOut(`${formatColumns(columns)}\n`);
    } else if (print === 'final') {
      await writeOut(`${final.toString()}\n`);
    } else {
      await writeOut(
        `${total} generations of ${snapshot.height}x${snapshot.width} (${engine.kind}): population ${population}, ${formatSeconds(seconds)} seconds, ${formatCount(rate)} cell updates/s\n`,
      );
    }
  } finally {
    progress.stop();
    await engine.close();
    await running.executor?.close();
  }
}
