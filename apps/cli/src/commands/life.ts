/**
 * `fanout life`: builds the world from the flags, has the grid package build and run the
 * chosen engine, and prints columns, the final grid, a summary or one JSON object.
 */
import { open } from 'node:fs/promises';
import { AsyncPool, type Executor, InlineExecutor } from '@fanout/executors';
import {
  createHashLifeEngine,
  DEFAULT_MAX_LIVE_CELLS,
  delayedLogic,
  type EngineKind,
  formatColumns,
  formatMacrocell,
  formatRleLines,
  GenerationCountError,
  type Grid,
  type HashLifeEngine,
  isPattern,
  type LifeEngine,
  type Macrocell,
  macrocellToPattern,
  MAX_COORDINATE,
  parseGenerations,
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
import { checkSize, isMacrocell, resolveWorld, type WorldSource } from './life-world.js';

/** Parsed flags of `fanout life`. */
export interface LifeOptions {
  pattern?: string;
  random?: number;
  seed?: number;
  size?: Size;
  topology: 'torus' | 'plane' | 'unbounded';
  /** As typed (`4`, `1e12`, `2^40`); read by `parseGenerations`. */
  generations: string;
  step?: string;
  maxMemoryMb?: number;
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

/** Engines of an unbounded plane: `--topology unbounded` runs one of them. */
const UNBOUNDED_KINDS: readonly EngineKind[] = ['hashlife', 'unbounded'];

/** A generation count flag as a bigint, or a one-line usage error naming the flag. */
function countFlag(flag: string, value: string): bigint {
  try {
    return parseGenerations(value);
  } catch (error) {
    if (error instanceof GenerationCountError) {
      throw new UsageError(`--${flag} ${value}: ${error.message.replace(/^[^:]*: /, '')}`, {
        cause: error,
      });
    }
    throw error;
  }
}

function validate(options: LifeOptions, command: Command): EngineKind {
  const given = (name: string) => command.getOptionValueSource(name) === 'cli';
  if (options.seed !== undefined && options.random === undefined) {
    throw new UsageError('--seed only applies to --random');
  }
  const flagKind: EngineKind = ENGINE_FLAG_KINDS[options.engine];
  const unboundedEngine = UNBOUNDED_KINDS.includes(flagKind);
  if (options.topology === 'unbounded' && given('engine') && !unboundedEngine) {
    throw new UsageError(
      `--topology unbounded runs --engine hashlife (the default) or --engine unbounded, not --engine ${options.engine}`,
    );
  }
  if (unboundedEngine && given('topology') && options.topology !== 'unbounded') {
    throw new UsageError(
      `--engine ${options.engine} runs an unbounded plane; it cannot run --topology ${options.topology}`,
    );
  }
  // HashLife is the unbounded default: it jumps where the tile engine steps every cell.
  const kind: EngineKind =
    options.topology === 'unbounded' && !given('engine') ? 'hashlife' : flagKind;
  if ((options.topology === 'unbounded' || unboundedEngine) && options.random !== undefined) {
    throw new UsageError('--random needs a bounded world (--topology torus or plane)');
  }
  if (options.maxMemoryMb !== undefined && kind !== 'hashlife' && given('engine')) {
    throw new UsageError('--max-memory-mb only applies to --engine hashlife');
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
  /** The HashLife engine, when that is the one running (exact counts, macrocell output). */
  hashlife?: HashLifeEngine;
  /** The grid shown for a generation (unbounded: a fixed window). */
  view(): Grid;
  /** The final world for `--out`: a bounded grid, or the unbounded world's live cells. */
  final(): Grid | Pattern;
  /** Width and height reported: the world's, or the unbounded world's live box. */
  extent(): Size;
  executor?: Executor;
}

/** The live cells of an unbounded world as a pattern, its box at the top-left live cell. */
function unboundedPattern(engine: UnboundedEngine | HashLifeEngine, out: string): Pattern {
  const bounds = engine.bounds();
  if (bounds === undefined) return { width: 0, height: 0, liveCells: [], comments: [] };
  const population = engine.population();
  if (
    population > DEFAULT_MAX_LIVE_CELLS ||
    Math.max(bounds.width, bounds.height) > MAX_COORDINATE
  ) {
    throw new UsageError(
      `--out ${out}: the final world (${population} cells in a ${bounds.height}x${bounds.width} box) is too large for RLE; write a macrocell file (--out FILE.mc)`,
    );
  }
  const liveCells = engine.liveCells().map(([x, y]): XY => [x - bounds.x, y - bounds.y]);
  return { width: bounds.width, height: bounds.height, liveCells, comments: [] };
}

/** A macrocell tree as the pattern an engine other than hashlife starts from. */
const asPattern = (world: Grid | Pattern | Macrocell): Grid | Pattern =>
  isMacrocell(world) ? macrocellToPattern(world) : world;

async function startEngine(
  options: LifeOptions,
  kind: EngineKind,
  world: WorldSource,
): Promise<RunningEngine> {
  if (kind === 'unbounded' || kind === 'hashlife') {
    const { width, height } = world.size;
    const out = options.out ?? '';
    let engine: UnboundedEngine | HashLifeEngine;
    let hashlife: HashLifeEngine | undefined;
    if (kind === 'hashlife') {
      const memory = options.maxMemoryMb === undefined ? {} : { maxMemoryMb: options.maxMemoryMb };
      hashlife = isMacrocell(world.world)
        ? createHashLifeEngine(world.world, { rule: world.rule, ...memory })
        : await createEngine(world.world, { kind, rule: world.rule, ...memory });
      engine = hashlife;
    } else {
      engine = await createEngine(asPattern(world.world), { kind, rule: world.rule });
    }
    return {
      engine,
      ...(hashlife === undefined ? {} : { hashlife }),
      view: () => engine.window(0, 0, width, height),
      final: () => unboundedPattern(engine, out),
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
  const start = asPattern(world.world);
  const fromPattern = isPattern(start);
  try {
    const engine = await createEngine(start, {
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
  const input = !isMacrocell(source.world) && isPattern(source.world) ? source.world : undefined;
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

/**
 * `--out FILE.mc`: the final generation as a macrocell file, HashLife's own format (the
 * running engine's tree, or one built from the final world), keeping the input's comments.
 */
async function writeMacrocellFile(
  path: string,
  running: RunningEngine,
  source: WorldSource,
): Promise<void> {
  const comments = isMacrocell(source.world)
    ? source.world.comments
    : isPattern(source.world)
      ? [
          ...(source.world.name === undefined ? [] : [`#N ${source.world.name}`]),
          ...(source.world.author?.split('\n').map((line) => `#O ${line}`) ?? []),
          ...source.world.comments.map((line) => `#C ${line}`),
        ]
      : [];
  let tree: Macrocell;
  if (running.hashlife !== undefined) {
    tree = running.hashlife.toMacrocell(comments);
  } else {
    await using copy = createHashLifeEngine(running.engine.liveCells(), {
      rule: running.engine.rule,
    });
    tree = copy.toMacrocell(comments);
  }
  const file = await open(path, 'w');
  try {
    await file.write(formatMacrocell(tree));
  } finally {
    await file.close();
  }
}

/** A count for `--json`: a number while exact, a decimal string past 2^53 (CLI contract). */
function exactJson(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** Runs `fanout life` with parsed flags. */
export async function runLife(
  options: LifeOptions,
  command: Command,
  context: CommandContext,
): Promise<void> {
  let kind = validate(options, command);
  const total = countFlag('generations', options.generations);
  const stepFlag = options.step === undefined ? undefined : countFlag('step', options.step);
  if (stepFlag === 0n) throw new UsageError('--step 0: a step must be at least 1 generation');
  const world = await resolveWorld(
    {
      ...options,
      ruleGiven: command.getOptionValueSource('rule') === 'cli',
      topologyGiven: command.getOptionValueSource('topology') === 'cli',
      engineGiven: command.getOptionValueSource('engine') === 'cli',
    },
    kind,
  );
  // A macrocell file with no --engine or --topology is an unbounded world: HashLife's.
  if (world.topology === 'unbounded' && !UNBOUNDED_KINDS.includes(kind)) kind = 'hashlife';
  if (kind !== 'hashlife' && total > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UsageError(
      `--generations ${options.generations} is more than --engine ${engineName(kind)} can run (at most 2^53 - 1); --engine hashlife runs any count`,
    );
  }
  const json = options.json === true;
  const print = json ? 'none' : options.print;
  const step = stepFlag ?? (print === 'columns' ? 1n : total > 0n ? total : 1n);
  // An unbounded world is shown through a window: a grid the size of --size.
  if (UNBOUNDED_KINDS.includes(kind) && print !== 'none') {
    checkSize(world.size, 'window', world.sizeFrom);
  }
  const running = await startEngine(options, kind, world);
  const { engine, hashlife } = running;
  const progress = startProgress('life', progressEnabled(json));
  try {
    const columns: Grid[] = print === 'columns' ? [running.view()] : [];
    const labels: bigint[] = [0n];
    const started = performance.now();
    // Engines slice their own work: signals and the progress line are never held up.
    for (let done = 0n; done < total; ) {
      const n = step < total - done ? step : total - done;
      const before = Number(done);
      const onProgress = (progress_: { done: number }) =>
        progress.update('generation', before + progress_.done, Number(total));
      if (hashlife !== undefined) await hashlife.step(n, { signal: context.signal, onProgress });
      else await engine.step(Number(n), { signal: context.signal, onProgress });
      done += n;
      if (print === 'columns') {
        columns.push(running.view());
        labels.push(done);
      }
      progress.update('generation', Number(done), Number(total));
    }
    const seconds = (performance.now() - started) / 1000;
    progress.stop();
    const extent = running.extent();
    // HashLife's box can be wider than a number holds exactly: take its bigints.
    const exact = hashlife?.exactBounds();
    const width = exact === undefined ? BigInt(extent.width) : exact.width;
    const height = exact === undefined ? BigInt(extent.height) : exact.height;
    const population =
      hashlife === undefined ? BigInt(engine.population()) : hashlife.exactPopulation();
    const cellUpdates = extent.width * extent.height * Number(total);
    const rate = seconds > 0 ? cellUpdates / seconds : 0;
    if (options.out !== undefined) {
      if (/\.mc$/i.test(options.out)) await writeMacrocellFile(options.out, running, world);
      else await writeRleFile(options.out, running.final(), running, world);
    }
    if (json) {
      await writeJson({
        generations: exactJson(total),
        population: exactJson(population),
        width: exactJson(width),
        height: exactJson(height),
        engine: engineName(engine.kind),
        seconds: roundSeconds(seconds),
        cellUpdatesPerSecond: roundRate(rate),
      });
    } else if (print === 'columns') {
      // Headed by generation numbers (the seed's indexes, when every step is one generation).
      await writeOut(`${formatColumns(columns, { labels })}\n`);
    } else if (print === 'final') {
      await writeBatched(withNewlines(running.view().rows()), writeOut);
    } else {
      await writeOut(
        `${total} generations of ${height}x${width} (${engineName(engine.kind)}): population ${population}, ${formatSeconds(seconds)} seconds, ${formatCount(rate)} cell updates/s\n`,
      );
    }
  } finally {
    progress.stop();
    await engine.close();
    await running.executor?.close();
  }
}
