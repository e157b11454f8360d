/**
 * `fanout gcd`: the seed's gcd benchmark — serial, async (one thread, like Python threads
 * under the GIL) and worker threads — on the seed's pairs or a pairs file; with `--redis`,
 * also through a queue to `fanout worker` processes on any machine.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { text as readStream } from 'node:stream/consumers';
import {
  compareRuns,
  type GcdAlgorithm,
  type GcdPair,
  type GcdRun,
  type GcdValue,
  type GcdWorkersRun,
  encodeResults,
  parsePairs,
  ResultsMismatchError,
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
import type { GcdQueueRun } from './gcd-queue.js';

/** Flags of `fanout gcd`. */
export interface GcdOptions {
  pairs?: string;
  mode: 'serial' | 'async' | 'workers' | 'queue' | 'all';
  workers?: number;
  /** Redis of the queue mode. */
  redis?: string;
  /** Queue of the queue mode. */
  queue: string;
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
  const redis = await checkQueueFlags(options);
  const pairs = await loadPairs(options);
  const workers = options.workers ?? availableParallelism();
  const localModes =
    options.mode === 'all'
      ? (['serial', 'async', 'workers'] as const)
      : options.mode === 'queue'
        ? []
        : [options.mode];
  const progress = startProgress('gcd', progressEnabled(json));
  const runs: (GcdRun | GcdWorkersRun)[] = [];
  let queueRun: GcdQueueRun | undefined;
  try {
    for (const mode of localModes) {
      const common = {
        algorithm: options.algorithm,
        signal: context.signal,
        onProgress: (p: { done: number; total: number }) => progress.update(mode, p.done, p.total),
      };
      if (mode === 'serial') runs.push(await runSerial(pairs, common));
      else if (mode === 'async') runs.push(await runAsync(pairs, common));
      else runs.push(await runWorkers(pairs, { ...common, workers }));
    }
    if (redis !== undefined) {
      // Loaded only for a queue run: BullMQ and its Redis client are not light.
      const { runQueue } = await import('./gcd-queue.js');
      queueRun = await runQueue(pairs, {
        redis,
        queue: options.queue,
        algorithm: options.algorithm,
        signal: context.signal,
        onProgress: (done, total) => progress.update('queue', done, total),
      });
    }
  } finally {
    progress.stop();
  }
  // Throws ResultsMismatchError (exit 1) if the runs disagree.
  const report =
    runs.length === 0
      ? undefined
      : compareRuns({
          serial: runs.find((run) => run.mode === 'serial'),
          async: runs.find((run) => run.mode === 'async'),
          workers: runs.find((run) => run.mode === 'workers'),
        });
  const results = report?.results ?? queueRun?.results ?? [];
  if (report !== undefined && queueRun !== undefined) checkAgree(report.results, queueRun);
  if (json) {
    const fields: Record<string, unknown> =
      report === undefined
        ? { pairs: pairs.length, results: encodeResults(results), algorithm: options.algorithm }
        : { ...reportToJson(report) };
    if (queueRun !== undefined) fields.queueSeconds = queueRun.seconds;
    for (const key of [
      'serialSeconds',
      'asyncSeconds',
      'workersSeconds',
      'queueSeconds',
    ] as const) {
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
      lines.push(`gcd(${pair[0]}, ${pair[1]}) = ${results[i]}\n`);
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
  if (queueRun !== undefined) {
    rows.push([
      'queue',
      `Took ${formatSeconds(queueRun.seconds)} seconds`,
      `(queue ${options.queue}, ${queueRun.workers > 0 ? `${queueRun.workers} worker${queueRun.workers === 1 ? '' : 's'}` : 'workers'} on Redis)`,
    ]);
  }
  lines.push(table(rows));
  const count = rows.length;
  if (count > 1) lines.push(`all ${count} runs agree on every result\n`);
  if (report?.speedup !== undefined) {
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

/** The queue flags make sense together: `--redis` (valid) with `--mode queue|all`. */
async function checkQueueFlags(options: GcdOptions): Promise<string | undefined> {
  if (options.mode === 'queue' && options.redis === undefined) {
    throw new UsageError('--mode queue needs --redis URL (the Redis that fanout worker serves)');
  }
  if (options.redis === undefined) return undefined;
  if (options.mode !== 'queue' && options.mode !== 'all') {
    throw new UsageError('--redis only applies to --mode queue or all');
  }
  // Bad URLs and queue names exit 2 with what is wrong (RedisUrlError, QueueNameError).
  const { checkQueueName, parseRedisUrl } = await import('@fanout/queue');
  parseRedisUrl(options.redis);
  checkQueueName(options.queue);
  return options.redis;
}

/** The queue's results must be the local runs' results, pair by pair. */
function checkAgree(expected: readonly GcdValue[], queueRun: GcdQueueRun): void {
  for (let i = 0; i < Math.max(expected.length, queueRun.results.length); i++) {
    if (expected[i] !== queueRun.results[i]) {
      // The queue is a run mode of the CLI, not of parallel-gcd: name it in the values.
      const values = { serial: expected[i], queue: queueRun.results[i] };
      throw new ResultsMismatchError(
        i,
        values as ConstructorParameters<typeof ResultsMismatchError>[1],
      );
    }
  }
}
