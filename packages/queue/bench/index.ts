/**
 * `pnpm --filter @fanout/queue bench` (run it under `flock /tmp/fanout-heavy.lock`):
 * 1. per-job overhead: tiny jobs through BullMQ used directly (a Worker whose processor runs
 *    the task on a WorkerPool, QueueEvents for results) and through @fanout/queue, same work;
 * 2. the seed's NUMBERS × 200 (naive gcd) through the queue to one and two worker processes,
 *    and on a local WorkerPool of one and two threads.
 * Rounds interleave the rows, each round in a rotated order, balanced (a Williams design,
 * see stats.ts: every row follows every other equally often; `--order rotated` gives the
 * plain rotation of earlier runs, where each row always follows the same one), and the
 * process' garbage is collected before each row's clock starts (`--no-gc` to skip), so
 * that no row pays for what the one before it left behind; the table shows medians, and the ratios are medians of each round's own ratio
 * to that round's baseline, with their range. Options: --rounds N (default 7), --jobs N
 * (default 2000), --concurrency N (jobs a worker takes at once in part 1, default 16),
 * --gcd-rounds N (default 3, 0 skips part 2), --chunk N (default 10), --rows KEYS (part 1's
 * rows by key, comma-separated: ref, baseline, map, run, awaited; default all; baseline is
 * always run). Part 1 also prints, for each row, a 95% bootstrap interval of the median of
 * its per-round ratios (10 000 resamples, seeded).
 */
import { startRedis } from '@fanout/test-kit';
import { Redis } from 'ioredis';
import { gcdOnPool, gcdOnQueue, CHAPTER_X200 } from './gcd.js';
import { bullmqDirect, type Clock, fanoutQueue, type OverheadOptions } from './overhead.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { balancedOrder, bootstrapMedianInterval, median } from './stats.js';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

function textFlag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

/** Part 1's rows: key (for `--rows`), the name the table shows, and the work. */
const ROW_KEYS = ['ref', 'baseline', 'map', 'run', 'awaited'] as const;
type RowKey = (typeof ROW_KEYS)[number];

function selectedRows(): Set<RowKey> {
  const text = textFlag('rows');
  if (text === undefined) return new Set(ROW_KEYS);
  const keys = text.split(',').map((key) => key.trim());
  const unknown = keys.filter((key) => !(ROW_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0 || keys.length === 0) {
    console.error(
      `bench: --rows ${JSON.stringify(text)}: unknown row ${unknown.map((k) => JSON.stringify(k)).join(', ')}; keys are ${ROW_KEYS.join(', ')}`,
    );
    process.exit(2);
  }
  // Every ratio is to the same round's baseline: it always runs.
  return new Set<RowKey>(['baseline', ...(keys as RowKey[])]);
}

function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
}

/** CPU seconds Redis has used so far (user + system), from INFO. */
async function redisCpu(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  const read = (key: string) => Number(new RegExp(`${key}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return read('used_cpu_user') + read('used_cpu_sys');
}

const balanced = textFlag('order') !== 'rotated';
const collectFirst = !process.argv.includes('--no-gc');
setFlagsFromString('--expose-gc');
/** A full collection, so that a row starts with no garbage from the row before it. */
const collectGarbage = runInNewContext('gc') as () => void;

/** Runs a row with a clock around its timed part: wall seconds, CPU of this process and of Redis. */
async function measured(
  client: Redis,
  work: (clock: Clock) => Promise<number>,
): Promise<{ seconds: number; cpu: number; redis: number }> {
  let cpuBefore = process.cpuUsage();
  let redisBefore = 0;
  let used = { user: 0, system: 0 };
  let redis = 0;
  const clock: Clock = {
    async start() {
      if (collectFirst) collectGarbage();
      redisBefore = await redisCpu(client);
      cpuBefore = process.cpuUsage();
    },
    async stop() {
      used = process.cpuUsage(cpuBefore);
      redis = (await redisCpu(client)) - redisBefore;
    },
  };
  const seconds = await work(clock);
  const cpu = (used.user + used.system) / 1e6 + redis;
  return { seconds, cpu, redis };
}

const rounds = flag('rounds', 7);
const jobs = flag('jobs', 2000);
const gcdRounds = flag('gcd-rounds', 3);
const chunk = flag('chunk', 10);
const concurrency = flag('concurrency', 16);
const wanted = selectedRows();
const redis = await startRedis();
const admin = new Redis(redis.port, '127.0.0.1');
try {
  console.log(
    `Redis ${(await admin.info('server')).match(/redis_version:(\S+)/)?.[1]}, Node ${process.version}`,
  );
  const options: OverheadOptions = {
    url: redis.url,
    jobs,
    threads: 2,
    concurrency,
    module: new URL('./gcd-task.mjs', import.meta.url),
  };
  const allRows: Record<RowKey, [string, (clock: Clock) => Promise<number>]> = {
    ref: [
      'BullMQ directly, inline processor (reference)',
      (clock) => bullmqDirect(options, false, clock),
    ],
    baseline: [
      'BullMQ directly + WorkerPool (baseline)',
      (clock) => bullmqDirect(options, true, clock),
    ],
    map: ['@fanout/queue map (chunkSize 1)', (clock) => fanoutQueue(options, 'map', false, clock)],
    run: ['@fanout/queue run × N', (clock) => fanoutQueue(options, 'run', false, clock)],
    awaited: [
      '@fanout/queue map, reply awaited (before)',
      (clock) => fanoutQueue(options, 'map', true, clock),
    ],
  };
  const rows = Object.fromEntries(
    ROW_KEYS.filter((key) => wanted.has(key)).map((key) => allRows[key]),
  );
  console.log(
    `rows: ${[...wanted].join(', ')}, ${rounds} rounds, ${jobs} jobs, ${concurrency} at once, order ${balanced ? 'balanced' : 'rotated'}, ${collectFirst ? 'gc before each row' : 'no gc'}`,
  );
  const keyOf = new Map(ROW_KEYS.map((key) => [allRows[key][0], key]));
  const samples = new Map<string, { seconds: number; cpu: number; redis: number }[]>();
  for (const name of Object.keys(rows)) samples.set(name, []);
  const entries = Object.entries(rows);
  await bullmqDirect(options, true); // warm-up, not counted
  for (let round = 0; round < rounds; round++) {
    const order = balanced
      ? balancedOrder(entries.length, round)
      : entries.map((_, i) => (i + round) % entries.length);
    for (const index of order) {
      const [name, work] = entries[index]!;
      samples.get(name)!.push(await measured(admin, work));
    }
  }
  const baseline = samples.get('BullMQ directly + WorkerPool (baseline)')!;
  /** Median and range of each round's ratio to the same round's baseline. */
  const ratio = (list: readonly { seconds: number; cpu: number }[], key: 'seconds' | 'cpu') => {
    const each = list.map((s, i) => s[key] / baseline[i]![key]);
    const mid = median(each).toFixed(2);
    return `${mid}× (${Math.min(...each).toFixed(2)}–${Math.max(...each).toFixed(2)})`;
  };
  console.log(
    `\n1. Per-job overhead: ${jobs} tiny jobs, 1 worker (2 threads, ${concurrency} jobs at once), medians of ${rounds} rounds`,
  );
  const table1: string[][] = [
    [
      'row',
      'seconds',
      'µs/job',
      'vs baseline',
      'CPU µs/job',
      'CPU vs baseline',
      'Redis CPU µs/job',
    ],
  ];
  for (const [name, list] of samples) {
    const wall = median(list.map((s) => s.seconds));
    const cpu = median(list.map((s) => s.cpu));
    table1.push([
      name,
      wall.toFixed(3),
      ((wall / jobs) * 1e6).toFixed(0),
      ratio(list, 'seconds'),
      ((cpu / jobs) * 1e6).toFixed(0),
      ratio(list, 'cpu'),
      ((median(list.map((s) => s.redis)) / jobs) * 1e6).toFixed(0),
    ]);
  }
  printTable(table1);
  // Each round's own ratios, so that several runs can be pooled.
  console.log('\nper-round ratios to the baseline (wall / CPU):');
  for (const [name, list] of samples) {
    const each = list.map(
      (s, i) =>
        `${(s.seconds / baseline[i]!.seconds).toFixed(2)}/${(s.cpu / baseline[i]!.cpu).toFixed(2)}`,
    );
    console.log(`  ${name}: ${each.join(' ')}`);
  }
  // How far each median ratio can be trusted: the spread of medians of resampled rounds.
  console.log(
    '\n95% bootstrap interval of the median ratio to the baseline (10 000 resamples, seed 1):',
  );
  const interval = (values: number[]) => {
    const [low, high] = bootstrapMedianInterval(values, { resamples: 10_000, seed: 1 });
    return `${median(values).toFixed(3)}× [${low.toFixed(3)}, ${high.toFixed(3)}]`;
  };
  for (const [name, list] of samples) {
    if (name === 'BullMQ directly + WorkerPool (baseline)') continue;
    const wallRatios = list.map((s, i) => s.seconds / baseline[i]!.seconds);
    const cpuRatios = list.map((s, i) => s.cpu / baseline[i]!.cpu);
    console.log(
      `  ${keyOf.get(name)} (${name}): wall ${interval(wallRatios)}, CPU ${interval(cpuRatios)}, ${list.length} rounds`,
    );
  }
  if (gcdRounds > 0) await gcdPart();
} finally {
  admin.disconnect();
  await redis.stop();
}

async function gcdPart(): Promise<void> {
  console.log(
    `\n2. NUMBERS × 200 (${CHAPTER_X200.length} pairs, naive gcd), chunks of ${chunk} pairs, medians of ${gcdRounds} rounds`,
  );
  const gcdRows = {
    'WorkerPool, 1 thread': () => gcdOnPool(CHAPTER_X200, 1, chunk),
    'queue, 1 worker process': () => gcdOnQueue(redis.url, CHAPTER_X200, 1, chunk),
    'WorkerPool, 2 threads': () => gcdOnPool(CHAPTER_X200, 2, chunk),
    'queue, 2 worker processes': () => gcdOnQueue(redis.url, CHAPTER_X200, 2, chunk),
  };
  const gcdSamples = new Map<string, number[]>();
  let reference: string | undefined;
  for (const name of Object.keys(gcdRows)) gcdSamples.set(name, []);
  for (let round = 0; round < gcdRounds; round++) {
    for (const [name, work] of Object.entries(gcdRows)) {
      const { seconds, results } = await work();
      const text = JSON.stringify(results);
      reference ??= text;
      if (text !== reference) throw new Error(`${name}: results differ from the first run`);
      gcdSamples.get(name)!.push(seconds);
    }
  }
  const m = (name: keyof typeof gcdRows) => median(gcdSamples.get(name)!);
  const table2: string[][] = [['row', 'seconds', 'speedup vs 1', 'queue vs pool', 'runs']];
  for (const [name, list] of gcdSamples) {
    const one = name.startsWith('queue') ? m('queue, 1 worker process') : m('WorkerPool, 1 thread');
    const pool = name.includes('2') ? m('WorkerPool, 2 threads') : m('WorkerPool, 1 thread');
    table2.push([
      name,
      median(list).toFixed(3),
      `${(one / median(list)).toFixed(2)}×`,
      name.startsWith('queue') ? `${(median(list) / pool).toFixed(3)}× the time` : '',
      list.map((s) => s.toFixed(2)).join(' '),
    ]);
  }
  printTable(table2);
  console.log('\nall runs gave the same results');
}
