/**
 * `fanout gcd`: the seed's gcd benchmark — serial, async (one thread, like Python threads
 * under the GIL) and worker threads — on the seed's pairs or a pairs file.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { text as readStream } from 'node:stream/consumers';
import {
  compareRuns,
  type GcdAlgorithm,
  type GcdPair,
  type GcdRun,
  type GcdWorkersRun,
  parsePairs,
  reportToJson,
  runAsync,
  runSerial,
  runWorkers,
  seedPairs,
} from '@fanout/parallel-gcd';
import { UsageError } from '../errors.js';
import { formatSeconds, roundRatio, roundSeconds, table, writeJson, writeOut } from '../output.js';
import type { CommandContext } from '../program.js';
import { progressEnabled, startProgress } from '../progress.js';

/** Flags of `fanout gcd`. */
export interface GcdOptions {
  pairs?: string;
  mode: 'serial' | 'async' | 'workers' | 'all';
  workers?: number;
  algorithm: GcdAlgorithm;
  scale: number;
  json?: boolean;
}

/** At most this many results are listed in human output (all of them go to --json). */
const LISTED_RESULTS = 20;

async function loadPairs(options: GcdOptions): Promise<GcdPair[]> {
  if (options.pairs === undefined) return seedPairs(options.scale);
  const source = options.pairs;
  const text = source === '-' ? await readStream(process.stdin) : await readFile(source, 'utf8');
  const pairs = parsePairs(text, { source });
  if (pairs.length === 0) throw new UsageError(`--pairs ${source}: no pairs in the input`);
  const scaled: GcdPair[] = [];
  for (let k = 0; k < options.scale; k++) scaled.push(...pairs);
  return scaled;
}

/** Runs `fanout gcd`. */
export async function runGcd(options: GcdOptions, context: CommandContext): Promise<void> {
  const json = options.json === true;
  if (options.workers !== undefined && options.mode !== 'workers' && options.mode !== 'all') {
    throw new UsageError('--workers only applies to --mode workers or all');
  }
  const pairs = await loadPairs(options);
  const workers = options.workers ?? availableParallelism();
  const modes = options.mode === 'all' ? (['serial', 'async', 'workers'] as const) : [options.mode];
  const progress = startProgress('gcd', progressEnabled(json));
  const runs: (GcdRun | GcdWorkersRun)[] = [];
  try {
    for (const mode of modes) {
      const common = {
        algorithm: options.algorithm,
        signal: context.signal,
        onProgress: (p: { done: number; total: number }) => progress.update(mode, p.done, p.total),
      };
      if (mode === 'serial') runs.push(await runSerial(pairs, common));
      else if (mode === 'async') runs.push(await runAsync(pairs, common));
      else runs.push(await runWorkers(pairs, { ...common, workers }));
    }
  } finally {
    progress.stop();
  }
  // Throws ResultsMismatchError (exit 1) if the runs disagree.
  const report = compareRuns({
    serial: runs.find((run) => run.mode === 'serial'),
    async: runs.find((run) => run.mode === 'async'),
    workers: runs.find((run) => run.mode === 'workers'),
  });
  if (json) {
    const fields: Record<string, unknown> = { ...reportToJson(report) };
    for (const key of ['serialSeconds', 'asyncSeconds', 'workersSeconds'] as const) {
      if (typeof fields[key] === 'number') fields[key] = roundSeconds(fields[key]);
    }
    for (const key of ['speedup', 'asyncSpeedup'] as const) {
      if (typeof fields[key] === 'number') fields[key] = roundRatio(fields[key]);
    }
    await writeJson(fields);
    return;
  }
  const lines: string[] = [];
  if (pairs.length <= LISTED_RESULTS) {
    pairs.forEach((pair, i) => {
      lines.push(`gcd(${pair[0]}, ${pair[1]}) = ${report.results[i]}\n`);
    });
  } else {
    lines.push(`${pairs.length} pairs (use --json for every result)\n`);
  }
  const rows = runs.map((run) => [
    run.mode,
    `Took ${formatSeconds(run.seconds)} seconds`,
    run.mode === 'serial'
      ? '(one thread)'
      : run.mode === 'async'
        ? `(async pool, ${run.parallelism} in flight on one thread)`
        : workersLabel(run),
  ]);
  lines.push(table(rows));
  if (runs.length > 1) lines.push(`all ${runs.length} runs agree on every result\n`);
  if (report.speedup !== undefined) {
    lines.push(`speedup (serial / workers): ${report.speedup.toFixed(2)}x\n`);
  }
  await writeOut(lines.join(''));
}

/** How the workers run spread its work: the calling thread may compute beside the threads. */
function workersLabel(run: GcdRun | GcdWorkersRun): string {
  if (!('workerThreads' in run)) return `(${run.parallelism} threads)`;
  const threads = `${run.workerThreads} worker thread${run.workerThreads === 1 ? '' : 's'}`;
  return run.parallelism > run.workerThreads
    ? `(${run.parallelism} threads: this one + ${threads})`
    : `(${threads})`;
}
