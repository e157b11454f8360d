/**
 * `fanout gcd`: the chapter's gcd benchmark — serial, async (one thread, like Python threads
 * under the GIL) and worker threads — on the chapter's pairs or a pairs file, which is
 * streamed (read again for each run) rather than held; with `--redis`, also through a
 * queue to `fanout worker` processes on any machine (a mode added to `runAll`).
 */
import {
  type GcdAlgorithm,
  type GcdPair,
  type GcdRun,
  type GcdRunner,
  type PairSource,
  PairsSourceError,
  type RunMode,
  chapterPairs,
  collectPairs,
  describeInteger,
  readPairs,
  readPairsFile,
  repeatPairs,
  reportToJson,
  RUN_MODES,
  runAll,
} from '@fanout/parallel-gcd';
import { UsageError } from '../errors.js';
import { formatSeconds, roundRatio, roundSeconds, table, writeJson, writeOut } from '../output.js';
import type { CommandContext } from '../program.js';
import { progressEnabled, startProgress } from '../progress.js';

/** Flags of `fanout gcd`. */
export interface GcdOptions {
  pairs?: string;
  mode: RunMode | 'queue' | 'all';
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

/**
 * The pairs of every run. The chapter's pairs are an array; a file is opened again for
 * each run and streamed; stdin can be read only once, so it is streamed for one pass and
 * read into memory when several runs (or `--scale`) need it again.
 */
async function openPairs(
  options: GcdOptions,
  runs: number,
  signal: AbortSignal,
): Promise<() => PairSource> {
  if (options.pairs === undefined) {
    const pairs = chapterPairs(options.scale);
    return () => pairs;
  }
  const source = options.pairs;
  if (source !== '-') {
    const open = () => readPairsFile(source);
    return options.scale === 1 ? open : () => repeatPairs(open, options.scale);
  }
  const stdin = readPairs(process.stdin, { source: '-' });
  if (runs === 1 && options.scale === 1) return () => stdin;
  const pairs = await collectPairs(stdin, { signal });
  return () => repeatPairs(() => pairs, options.scale);
}

/** Keeps the first pairs of the first pass, for the human listing of small inputs. */
function keepFirstPairs(open: () => PairSource, kept: GcdPair[]): () => PairSource {
  let first = true;
  return () => {
    const source = open();
    if (!first) return source;
    first = false;
    if (Array.isArray(source)) {
      kept.push(...(source as readonly GcdPair[]).slice(0, LISTED_RESULTS + 1));
      return source;
    }
    const stream = source as AsyncIterable<readonly GcdPair[]>;
    return (async function* () {
      for await (const batch of stream) {
        for (let i = 0; i < batch.length && kept.length <= LISTED_RESULTS; i++)
          kept.push(batch[i]!);
        yield batch;
      }
    })();
  };
}

/** Runs `fanout gcd`. */
export async function runGcd(options: GcdOptions, context: CommandContext): Promise<void> {
  const json = options.json === true;
  if (options.workers !== undefined && options.mode !== 'workers' && options.mode !== 'all') {
    throw new UsageError('--workers only applies to --mode workers or all');
  }
  const redis = await checkQueueFlags(options);
  const modes: readonly string[] =
    options.mode === 'all'
      ? [...RUN_MODES, ...(redis === undefined ? [] : ['queue'])]
      : [options.mode];
  const runners: Record<string, GcdRunner> =
    redis === undefined ? {} : { queue: queueRunner(redis, options.queue) };
  const progress = startProgress('gcd', progressEnabled(json));
  const firstPairs: GcdPair[] = [];
  let report: Awaited<ReturnType<typeof runAll>>;
  try {
    const open = keepFirstPairs(await openPairs(options, modes.length, context.signal), firstPairs);
    report = await runAll(open, {
      modes,
      runners,
      algorithm: options.algorithm,
      workers: options.workers,
      signal: context.signal,
      onProgress: ({ mode, done, total }) =>
        total === undefined
          ? progress.update(`${mode}, ${done} pairs`)
          : progress.update(mode, done, total),
    });
  } catch (error) {
    if (error instanceof PairsSourceError) {
      throw new UsageError(`--pairs ${error.source}: ${error.reason}`, { cause: error });
    }
    throw error;
  } finally {
    progress.stop();
  }
  if (report.pairs === 0) throw new UsageError(`--pairs ${options.pairs}: no pairs in the input`);
  if (json) {
    const fields: Record<string, unknown> = { ...reportToJson(report) };
    for (const [key, value] of Object.entries(fields)) {
      if (typeof value !== 'number') continue;
      if (key.endsWith('Seconds')) fields[key] = roundSeconds(value);
      else if (key === 'speedup' || key === 'asyncSpeedup') fields[key] = roundRatio(value);
    }
    await writeJson(fields);
    return;
  }
  const lines: string[] = [];
  if (report.pairs <= LISTED_RESULTS) {
    firstPairs.forEach(([a, b], i) => {
      lines.push(
        `gcd(${describeInteger(a)}, ${describeInteger(b)}) = ${describeInteger(report.results[i]!)}\n`,
      );
    });
  } else {
    lines.push(`${report.pairs} pairs (use --json for every result)\n`);
  }
  const runs = Object.values(report.runs).filter((run): run is GcdRun => run !== undefined);
  lines.push(
    table(
      runs.map((run) => [
        run.mode,
        `Took ${formatSeconds(run.seconds)} seconds`,
        runLabel(run, options.queue),
      ]),
    ),
  );
  if (runs.length > 1) lines.push(`all ${runs.length} runs agree on every result\n`);
  if (report.speedup !== undefined) {
    lines.push(`speedup (serial / workers): ${report.speedup.toFixed(2)}x\n`);
  }
  await writeOut(lines.join(''));
}

/** How a run spread its work, as the run itself reports it. */
function runLabel(run: GcdRun, queue: string): string {
  if (run.mode === 'serial') return '(one thread)';
  if (run.mode === 'queue') {
    const workers = run.parallelism;
    return `(queue ${queue}, ${workers > 0 ? `${workers} worker${workers === 1 ? '' : 's'}` : 'workers'} on Redis)`;
  }
  if (run.mode === 'async') return `(async pool, ${run.parallelism} in flight on one thread)`;
  if (!('workerThreads' in run) || typeof run.workerThreads !== 'number') {
    return `(${run.parallelism} at once)`;
  }
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

/**
 * The queue mode as a `runAll` runner: the pairs go as jobs to the `fanout worker`
 * processes serving the queue; `parallelism` is the number of workers it found. The queue
 * run takes an array, so a stream is read into memory for it first.
 */
function queueRunner(redis: string, queue: string): GcdRunner {
  return async (pairs, { algorithm = 'naive', signal, onProgress }) => {
    const list = Array.isArray(pairs)
      ? (pairs as readonly GcdPair[])
      : await collectPairs(pairs as AsyncIterable<readonly GcdPair[]>, signal ? { signal } : {});
    // Loaded only for a queue run: BullMQ and its Redis client are not light.
    const { runQueue } = await import('./gcd-queue.js');
    const run = await runQueue(list, {
      redis,
      queue,
      algorithm,
      signal: signal ?? new AbortController().signal,
      onProgress: (done, total) => onProgress?.({ mode: 'queue', done, total }),
    });
    return {
      mode: 'queue',
      algorithm,
      results: run.results,
      seconds: run.seconds,
      parallelism: run.workers,
    };
  };
}
