/**
 * Benchmarks of @fanout/executors against the baselines of issue 2, one table per run:
 *   1. AsyncPool vs p-limit: 100k no-op async tasks at concurrency 8 (per-task overhead).
 *   2. WorkerPool.map (chunked) vs plain piscina.run per task: 100k tiny tasks.
 *   3. WorkerPool.map vs serial on the main thread: a CPU-bound set.
 *   4. watchEventLoop on vs off: what the hooks add per callback (promise continuations
 *      and setImmediate callbacks), to judge leaving it on in a server.
 * Run: flock /tmp/fanout-bench.lock pnpm --filter @fanout/executors bench
 * Uses the built package (dist), so build first.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { Piscina } from 'piscina';
import type * as Api from '../src/index.js';

const { AsyncPool, WorkerPool, watchEventLoop } = (await import(
  new URL('../dist/index.js', import.meta.url).href
)) as typeof Api;
const workUrl = new URL('./fixtures/work.mjs', import.meta.url);
const work = (await import(workUrl.href)) as {
  inc(x: number): number;
  countPrimes(limit: number): number;
};

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const THREADS = Math.min(2, availableParallelism());

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Alternate the two sides each round so machine noise hits both; return median ms. */
async function compare(
  ours: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
): Promise<{ ours: number; baseline: number }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    b.push(await timeIt(baseline));
    a.push(await timeIt(ours));
  }
  return { ours: median(a), baseline: median(b) };
}

interface Row {
  readonly name: string;
  readonly unit: string;
  readonly ours: number;
  readonly baseline: number;
  readonly baselineName: string;
  readonly ratio: string;
  readonly target: string;
}

const rows: Row[] = [];

// 1. AsyncPool vs p-limit.
{
  const tasks = 100_000;
  const noop = async (): Promise<void> => {};
  const ours = async (): Promise<void> => {
    const pool = new AsyncPool({ maxConcurrency: 8 });
    const all: Promise<void>[] = new Array(tasks);
    for (let i = 0; i < tasks; i++) all[i] = pool.submit(noop);
    await Promise.all(all);
  };
  const baseline = async (): Promise<void> => {
    const limit = pLimit(8);
    const all: Promise<void>[] = new Array(tasks);
    for (let i = 0; i < tasks; i++) all[i] = limit(noop);
    await Promise.all(all);
  };
  await compare(ours, baseline); // warm-up
  const { ours: o, baseline: b } = await compare(ours, baseline);
  const perTask = (ms: number): number => (ms * 1000) / tasks;
  rows.push({
    name: 'AsyncPool.submit, 100k no-op tasks, concurrency 8',
    unit: 'µs/task',
    ours: perTask(o),
    baseline: perTask(b),
    baselineName: 'p-limit',
    ratio: `${(o / b).toFixed(2)} (ours/baseline)`,
    target: '≤ 1.0',
  });
}

// 2. WorkerPool.map with chunks vs piscina.run per task.
{
  const tasks = 100_000;
  const items = Array.from({ length: tasks }, (_, i) => i);
  const pool = new WorkerPool({ module: workUrl, minThreads: THREADS, maxThreads: THREADS });
  const piscina = new Piscina({
    filename: fileURLToPath(workUrl),
    minThreads: THREADS,
    maxThreads: THREADS,
  });
  const ours = (): Promise<unknown> => pool.map<number, number>('inc', items);
  const baseline = (): Promise<unknown> =>
    Promise.all(items.map((i) => piscina.run(i) as Promise<number>));
  const check = (await ours()) as number[];
  if (check[tasks - 1] !== tasks) throw new Error('WorkerPool.map returned a wrong result');
  await baseline(); // warm-up
  const { ours: o, baseline: b } = await compare(ours, baseline);
  await pool.close();
  await piscina.close();
  const perTask = (ms: number): number => (ms * 1000) / tasks;
  rows.push({
    name: `WorkerPool.map (auto chunks), 100k tiny tasks, ${THREADS} threads`,
    unit: 'µs/task',
    ours: perTask(o),
    baseline: perTask(b),
    baselineName: 'piscina.run per task',
    ratio: `${(b / o).toFixed(1)}× less time`,
    target: '≥ 10×',
  });
}

// 3. CPU-bound set: WorkerPool vs serial on the main thread.
{
  const limits = Array.from({ length: 16 }, () => 400_000);
  const pool = new WorkerPool({ module: workUrl, minThreads: THREADS, maxThreads: THREADS });
  const ours = (): Promise<unknown> =>
    pool.map<number, number>('countPrimes', limits, { chunkSize: 1 });
  const serial = async (): Promise<unknown> => limits.map((limit) => work.countPrimes(limit));
  const [parallel, inline] = [(await ours()) as number[], (await serial()) as number[]];
  if (parallel.join() !== inline.join()) throw new Error('WorkerPool and serial results differ');
  const { ours: o, baseline: b } = await compare(ours, serial);
  await pool.close();
  rows.push({
    name: `CPU-bound: 16 × countPrimes(4e5), ${THREADS} threads`,
    unit: 'ms total',
    ours: o,
    baseline: b,
    baselineName: 'serial, main thread',
    ratio: `${(b / o).toFixed(2)}× faster`,
    target: '≥ 1.85×',
  });
}

// 4. watchEventLoop cost per callback: 500k awaits and 50k immediates, watch on vs off.
{
  const awaits = 500_000;
  const immediates = 50_000;
  const callbacks = awaits + immediates;
  const load = async (): Promise<void> => {
    let sum = 0;
    for (let i = 0; i < awaits; i++) sum += await Promise.resolve(i);
    for (let i = 0; i < immediates; i++) await new Promise<void>((r) => setImmediate(r));
    if (sum < 0) throw new Error('unreachable');
  };
  const watched = async (): Promise<void> => {
    const watch = watchEventLoop({ thresholdMs: 100 });
    try {
      await load();
    } finally {
      watch.stop();
    }
  };
  await compare(watched, load); // warm-up
  const { ours: o, baseline: b } = await compare(watched, load);
  const perCallback = (ms: number): number => (ms * 1000) / callbacks;
  rows.push({
    name: 'watchEventLoop on, 500k awaits + 50k setImmediate',
    unit: 'µs/callback',
    ours: perCallback(o),
    baseline: perCallback(b),
    baselineName: 'no watch',
    ratio: `+${(perCallback(o) - perCallback(b)).toFixed(2)} µs/callback`,
    target: '(cheap enough for a server)',
  });
}

console.log(
  `@fanout/executors benchmarks (node ${process.version}, ${availableParallelism()} cores, median of ${ROUNDS} rounds)\n`,
);
console.table(
  rows.map((row) => ({
    benchmark: row.name,
    ours: `${row.ours.toFixed(2)} ${row.unit}`,
    baseline: `${row.baseline.toFixed(2)} ${row.unit} (${row.baselineName})`,
    ratio: row.ratio,
    target: row.target,
  })),
);
