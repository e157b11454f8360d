/**
 * `fanout life --engine hashlife`: an unbounded world run by HashLife, in jumps as large as
 * the flags allow, with exact generation and population counts however large they get.
 */
import { writeFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  createHashLifeEngine,
  type EngineSource,
  formatColumns,
  formatMacrocell,
  formatRle,
  type Grid,
  type HashLifeEngine,
  type LifeRule,
} from '@fanout/grid';
import { UsageError } from '../errors.js';
import type { Size } from '../options.js';
import { formatSeconds, roundRate, roundSeconds, writeJson, writeOut } from '../output.js';
import type { CommandContext } from '../program.js';
import { progressEnabled, startProgress } from '../progress.js';

/** What the hashlife run needs, already validated. */
export interface HashLifeRun {
  readonly source: EngineSource;
  readonly rule: LifeRule;
  readonly generations: bigint;
  /** Generations per step (progress, `--print columns`); default: the whole run at once. */
  readonly step?: bigint;
  /** The window shown by `--print columns|final`, at the origin. */
  readonly window: Size;
  readonly print: 'columns' | 'final' | 'none';
  readonly json: boolean;
  readonly out?: string;
  readonly maxMemoryMb?: number;
}

/** Most cells `--out FILE.rle` writes; larger worlds go to a macrocell file. */
const MAX_RLE_CELLS = 10_000_000;

/** A count as JSON: a number while exact, a decimal string past 2^53. */
export function exactJson(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** Writes the world to `path`: macrocell for `.mc`, else RLE (refused for huge worlds). */
async function writeWorld(engine: HashLifeEngine, path: string, rule: LifeRule): Promise<void> {
  if (/\.mc$/i.test(path)) {
    await writeFile(path, formatMacrocell(engine.toMacrocell(['#C written by fanout life'])));
    return;
  }
  const population = engine.exactPopulation();
  if (population > BigInt(MAX_RLE_CELLS)) {
    throw new UsageError(
      `--out ${path}: the world has ${population} live cells, too many for RLE; write a macrocell file (--out FILE.mc)`,
    );
  }
  await writeFile(path, formatRle(engine.snapshot(), { rule }));
}

/** Runs the hashlife engine for `fanout life`. */
export async function runHashLife(run: HashLifeRun, context: CommandContext): Promise<void> {
  const engine = createHashLifeEngine(run.source, {
    rule: run.rule,
    ...(run.maxMemoryMb !== undefined ? { maxMemoryMb: run.maxMemoryMb } : {}),
  });
  const progress = startProgress('life', progressEnabled(run.json));
  const view = (): Grid => engine.window(0, 0, run.window.width, run.window.height);
  try {
    const columns: Grid[] = run.print === 'columns' ? [view()] : [];
    const total = run.generations;
    const start = engine.exactGeneration;
    const step = run.step ?? (total > 0n ? total : 1n);
    const started = performance.now();
    for (let done = 0n; done < total; ) {
      const n = step < total - done ? step : total - done;
      await engine.step(n, { signal: context.signal });
      done += n;
      if (run.print === 'columns') columns.push(view());
      progress.update('generation', Number(done), Number(total));
      await nextTurn();
      context.signal.throwIfAborted();
    }
    const seconds = (performance.now() - started) / 1000;
    progress.stop();
    if (run.out !== undefined) await writeWorld(engine, run.out, run.rule);
    const population = engine.exactPopulation();
    const bounds = engine.bounds();
    const width = bounds?.width ?? 0;
    const height = bounds?.height ?? 0;
    const generation = engine.exactGeneration;
    if (run.json) {
      // Cell updates a generation-by-generation engine would have made over the final box.
      const rate = seconds > 0 ? (width * height * Number(total)) / seconds : 0;
      await writeJson({
        generations: exactJson(total),
        population: exactJson(population),
        width,
        height,
        engine: engine.kind,
        seconds: roundSeconds(seconds),
        cellUpdatesPerSecond: roundRate(rate),
        ...(start !== 0n ? { generation: exactJson(generation) } : {}),
      });
    } else if (run.print === 'columns') {
      await writeOut(`${formatColumns(columns)}\n`);
    } else if (run.print === 'final') {
      await writeOut(`${view().toString()}\n`);
    } else {
      const box = bounds === undefined ? 'empty' : `${height}x${width} box`;
      const at = start !== 0n ? ` (now at generation ${generation})` : '';
      await writeOut(
        `${total} generations (hashlife, unbounded)${at}: population ${population}, ${box}, ${formatSeconds(seconds)} seconds\n`,
      );
    }
  } finally {
    progress.stop();
    await engine.close();
  }
}
