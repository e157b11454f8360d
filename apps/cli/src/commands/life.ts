/**
 * `fanout life`: builds the world from the flags, has the grid package build and run the
 * chosen engine, and prints columns, the final grid, a summary or one JSON object.
 */
import { open } from 'node:fs/promises';
import { AsyncPool, type Executor, InlineExecutor } from '@fanout/executors';
import {
  delayedLogic,
  type EngineKind,
  formatColumns,
  formatRleLines,
  type Grid,
  isPattern,
  type LifeEngine,
  type Pattern,
  type UnboundedEngine,
  type XY,
} from '@fanout/grid';
import { createEngine } from '@fanout/grid/workers';
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
import { ENGINE_FLAG_KINDS, type EngineFlag, engineName } from './life-engine.js';
import { checkSize, resolveWorld, type WorldSource } from './life-world.js';

/** Parsed flags of `fanout life`. */
export interface LifeOptions {
  pattern?: string;
  random?: number;
  seed?: number;
  size?: Size;
  topology: 'torus' | 'plane' | 'unbounded';
  generations: number;
  rule: string;
  engine: EngineFlag;
  executor?: 'inline' | 'pool' | 'async';
  maxWorkers?: number;
  ioMs?: number;
  threads?: number;
  print: 'columns' | 'final' | 'none';
  out?: string;
  json?: boolean;
}

/** The seed's `ThreadPoolExecutor(max_workers=10)`. */
const DEFAULT_MAX_WORKERS = 10;

/** The executor of `--engine cells`; undefined for `async` (gather every cell at once). */
function createExecutor(
  kind: 'inline' | 'pool' | 'async',
  maxWorkers: number | undefined,
): Executor | undefined {
  switch (kind) {
    case 'inline':
      return new InlineExecutor();
    case 'pool':
      return new AsyncPool({ maxConcurrency: maxWorkers ?? DEFAULT_MAX_WORKERS });
    case 'async':
      // No executor: the grid package gathers every cell's task at once, like asyncio.gather.
      return undefined;
  }
}

/** Output is handed to the OS in pieces of about this many characters. */
const WRITE_CHUNK = 1 << 16;

function validate(options: LifeOptions, command: Command): EngineKind {
  const given = (name: string) => command.getOptionValueSource(name) === 'cli';
  if (options.seed !== undefined && options.random === undefined) {
    throw new UsageError('--seed only applies to --random');
  }
  const kind: EngineKind =
    options.topology === 'unbounded' ? 'unbounded' : ENGINE_FLAG_KINDS[options.engine];
  if (options.topology === 'unbounded' && given('engine')) {
    throw new UsageError('--topology unbounded runs its own engine; --engine does not apply');
  }
  if (options.topology === 'unbounded' && options.random !== undefined) {
    throw new UsageError('--random needs a bounded world (--topology torus or plane)');
  }
  for (const flag of ['executor', 'maxWorkers', 'ioMs'] as const) {
    if (options[flag] !== undefined && kind !== 'per-cell') {
      const name = flag === 'maxWorkers' ? 'max-workers' : flag === 'ioMs' ? 'io-ms' : flag;
      throw new UsageError(`--${name} only applies to --engine cells`);
    }
  }
  if (options.maxWorkers !== undefined && (options.executor ?? 'pool') !== 'pool') {
    throw new UsageError('--max-workers only applies to --executor pool');
  }
  if (options.threads !== undefined && kind !== 'workers') {
    throw new UsageError('--threads only applies to --engine workers');
  }
  if (options.json && given('print') && options.print !== 'none') {
    throw new UsageError(
      `--json prints one JSON object; it cannot be used with --print ${options.print}`,
    );
  }
  return kind;
}

interface RunningEngine {
  engine: LifeEngine;
  /** The grid shown for a generation (unbounded: a fixed window). */
  view(): Grid;
  /** The final world for `--out`: a bounded grid, or the unbounded world's live cells. */
  final(): Grid | Pattern;
  /** Width and height reported: the world's, or the unbounded world's live box. */
  extent(): Size;
  executor?: Executor;
}

/** The live cells of an unbounded world as a pattern, its box at the top-left live cell. */
function unboundedPattern(engine: UnboundedEngine): Pattern {
  const bounds = engine.bounds();
  if (bounds === undefined) return { width: 0, height: 0, liveCells: [], comments: [] };
  const liveCells = engine.liveCells().map(([x, y]): XY => [x - bounds.x, y - bounds.y]);
  return { width: bounds.width, height: bounds.height, liveCells, comments: [] };
}

async function startEngine(
  options: LifeOptions,
  kind: EngineKind,
  world: WorldSource,
): Promise<RunningEngine> {
  if (kind === 'unbounded') {
    const engine = await createEngine(world.world, { kind, rule: world.rule });
    const { width, height } = world.size;
    return {
      engine,
      view: () => engine.window(0, 0, width, height),
      final: () => unboundedPattern(engine),
      extent: () => {
        const bounds = engine.bounds();
        return bounds === undefined ? { height: 1, width: 1 } : bounds;
      },
    };
  }
  const executor =
    kind === 'per-cell'
      ? createExecutor(options.executor ?? 'pool', options.maxWorkers)
      : undefined;
  const topology = world.topology === 'unbounded' ? 'torus' : world.topology;
  const fromPattern = isPattern(world.world);
  try {
    const engine = await createEngine(world.world, {
      kind,
      rule: world.rule,
      ...(fromPattern ? { size: world.size, topology, at: world.at } : {}),
      ...(executor === undefined ? {} : { executor }),
      ...(options.ioMs ? { logic: delayedLogic(options.ioMs, { rule: world.rule }) } : {}),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
    });
    return {
      engine,
      view: () => engine.snapshot(),
      final: () => engine.snapshot(),
      extent: () => world.size,
      ...(executor === undefined ? {} : { executor }),
    };
  } catch (error) {
    await executor?.close();
    throw error;
  }
}

/** Writes `lines` with `write`, batched into pieces of about `WRITE_CHUNK` characters. */
async function writeBatched(
  lines: Iterable<string>,
  write: (text: string) => Promise<unknown>,
): Promise<void> {
  let batch = '';
  for (const line of lines) {
    batch += line;
    if (batch.length >= WRITE_CHUNK) {
      await write(batch);
      batch = '';
    }
  }
  if (batch !== '') await write(batch);
}

function* withNewlines(rows: Iterable<string>): Generator<string> {
  for (const row of rows) yield `${row}\n`;
}

/**
 * `--out FILE`: the final generation as RLE, streamed (a large world is never one string),
 * with the input file's name, author, comments and other `#` lines.
 */
async function writeRleFile(
  path: string,
  world: Grid | Pattern,
  running: RunningEngine,
  source: WorldSource,
): Promise<void> {
  const input = isPattern(source.world) ? source.world : undefined;
  const file = await open(path, 'w');
  try {
    const lines = formatRleLines(world, {
      rule: running.engine.rule,
      ...(input?.name === undefined ? {} : { name: input.name }),
      ...(input?.author === undefined ? {} : { author: input.author }),
      ...(input === undefined ? {} : { comments: input.comments }),
      ...(input?.extraLines === undefined ? {} : { extraLines: input.extraLines }),
    });
    await writeBatched(lines, (text) => file.write(text));
  } finally {
    await file.close();
  }
}

/** Runs `fanout life` with parsed flags. */
export async function runLife(
  options: LifeOptions,
  command: Command,
  context: CommandContext,
): Promise<void> {
  const kind = validate(options, command);
  const world = await resolveWorld(
    {
      ...options,
      ruleGiven: command.getOptionValueSource('rule') === 'cli',
      topologyGiven: command.getOptionValueSource('topology') === 'cli',
    },
    kind,
  );
  const json = options.json === true;
  const print = json ? 'none' : options.print;
  // An unbounded world is shown through a window: a grid the size of --size.
  if (kind === 'unbounded' && print !== 'none') checkSize(world.size, 'window', world.sizeFrom);
  const running = await startEngine(options, kind, world);
  const { engine } = running;
  const progress = startProgress('life', progressEnabled(json));
  try {
    const columns: Grid[] = print === 'columns' ? [running.view()] : [];
    const total = options.generations;
    const started = performance.now();
    const onProgress = ({ done }: { done: number }) => progress.update('generation', done, total);
    if (print === 'columns') {
      for (let done = 0; done < total; done++) {
        await engine.step(1, { signal: context.signal });
        columns.push(running.view());
        progress.update('generation', done + 1, total);
      }
    } else {
      // The engine slices its own work: signals and the progress line are never held up.
      await engine.step(total, { signal: context.signal, onProgress });
    }
    const seconds = (performance.now() - started) / 1000;
    progress.stop();
    const extent = running.extent();
    const population = engine.population();
    const cellUpdates = extent.width * extent.height * total;
    const rate = seconds > 0 ? cellUpdates / seconds : 0;
    if (options.out !== undefined) {
      await writeRleFile(options.out, running.final(), running, world);
    }
    if (json) {
      await writeJson({
        generations: total,
        population,
        width: extent.width,
        height: extent.height,
        engine: engineName(engine.kind),
        seconds: roundSeconds(seconds),
        cellUpdatesPerSecond: roundRate(rate),
      });
    } else if (print === 'columns') {
      await writeOut(`${formatColumns(columns)}\n`);
    } else if (print === 'final') {
      await writeBatched(withNewlines(running.view().rows()), writeOut);
    } else {
      await writeOut(
        `${total} generations of ${extent.height}x${extent.width} (${engineName(engine.kind)}): population ${population}, ${formatSeconds(seconds)} seconds, ${formatCount(rate)} cell updates/s\n`,
      );
    }
  } finally {
    progress.stop();
    await engine.close();
    await running.executor?.close();
  }
}
