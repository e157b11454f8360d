/**
 * WorkerPool (threads on piscina) against piscina used directly: chunked map and one
 * `run` per task against one `piscina.run` per task, CPU-bound speed-up against the main
 * thread, and the running-task timeout: from the deadline to the rejection, and to a fresh
 * worker serving the next task (piscina has no running-task timeout: its closest is an
 * `AbortSignal.timeout` on `run`, which ends the thread the same way ours does).
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { api, compare, median, type Row } from './harness.js';

const { WorkerPool } = api;
const workUrl = new URL('./fixtures/work.mjs', import.meta.url);
const work = (await import(workUrl.href)) as { countPrimes(limit: number): number };
const THREADS = Math.min(2, availableParallelism());
const TIMEOUT_MS = 100;
const TIMEOUT_RUNS = Number(process.env.BENCH_TIMEOUT_RUNS ?? 10);
// Workers of both sides start as a user's would: without the flags tsx runs this file with.
const execArgv: string[] = [];

async function mapRows(): Promise<Row[]> {
  const tasks = 100_000;
  const items = Array.from({ length: tasks }, (_, i) => i);
  const pool = new WorkerPool({
    module: workUrl,
    minThreads: THREADS,
    maxThreads: THREADS,
    execArgv,
  });
  const piscina = new Piscina({
    filename: fileURLToPath(workUrl),
    minThreads: THREADS,
    maxThreads: THREADS,
    execArgv,
  });
  const check = await pool.map<number, number>('inc', items);
  if (check[tasks - 1] !== tasks) throw new Error('WorkerPool.map returned a wrong result');
  const [o, b] = (await compare(
    () => pool.map<number, number>('inc', items),
    () => Promise.all(items.map((i) => piscina.run(i) as Promise<number>)),
  )) as [number, number];
  // One message per task on both sides: what our layer (queue, abort signal, error
  // envelope, export lookup) costs on top of piscina.
  const runTasks = 20_000;
  const runItems = items.slice(0, runTasks);
  const [r, rb] = (await compare(
    () => Promise.all(runItems.map((i) => pool.run<number>('inc', [i]))),
    () => Promise.all(runItems.map((i) => piscina.run(i) as Promise<number>)),
  )) as [number, number];
  await pool.close();
  await piscina.close();
  const perTask = (ms: number, count = tasks): string =>
    `${((ms * 1000) / count).toFixed(2)} µs/task`;

  const limits = Array.from({ length: 16 }, () => 400_000);
  const cpu = new WorkerPool({
    module: workUrl,
    minThreads: THREADS,
    maxThreads: THREADS,
    execArgv,
  });
  const parallel = await cpu.map<number, number>('countPrimes', limits, { chunkSize: 1 });
  if (parallel.join() !== limits.map((l) => work.countPrimes(l)).join()) {
    throw new Error('WorkerPool and serial results differ');
  }
  const [c, s] = (await compare(
    () => cpu.map<number, number>('countPrimes', limits, { chunkSize: 1 }),
    async () => limits.map((limit) => work.countPrimes(limit)),
  )) as [number, number];
  await cpu.close();
  return [
    {
      benchmark: `WorkerPool.map (auto chunks), 100k tiny tasks, ${THREADS} threads`,
      ours: perTask(o),
      baseline: `${perTask(b)} (piscina.run per task)`,
      ratio: `${(b / o).toFixed(1)}× less time ${b / o >= 10 ? '✅' : '❌'}`,
      target: '≥ 10×',
    },
    {
      benchmark: `WorkerPool.run, one call per task, 20k tiny tasks, ${THREADS} threads`,
      ours: perTask(r, runTasks),
      baseline: `${perTask(rb, runTasks)} (piscina.run per task)`,
      ratio: `${(r / rb).toFixed(2)} (ours/baseline)`,
      target: '(measured: the cost of our layer)',
    },
    {
      benchmark: `CPU-bound: 16 × countPrimes(4e5), ${THREADS} threads`,
      ours: `${c.toFixed(0)} ms`,
      baseline: `${s.toFixed(0)} ms (serial, main thread)`,
      ratio: `${(s / c).toFixed(2)}× faster`,
      target: '≥ 1.85× (idle machine)',
    },
  ];
}

interface TimeoutTimes {
  /** Deadline → the caller's promise rejected. */
  readonly reject: number;
  /** Deadline → a probe task submitted at the rejection resolved on a fresh worker. */
  readonly fresh: number;
}

/** Times one spin-until-timeout and the probe after it; `run` must reject at the deadline. */
async function timeOnce(
  spinFor: (timeoutMs: number) => Promise<unknown>,
  probe: () => Promise<unknown>,
): Promise<TimeoutTimes> {
  const sent = performance.now();
  const deadline = sent + TIMEOUT_MS;
  await spinFor(TIMEOUT_MS).then(
    () => {
      throw new Error('spin returned');
    },
    () => {},
  );
  const rejected = performance.now();
  await probe();
  return { reject: rejected - deadline, fresh: performance.now() - deadline };
}

interface TimeoutSide {
  readonly spinFor: (timeoutMs: number) => Promise<unknown>;
  readonly probe: () => Promise<unknown>;
}

/** Times each side's timeout in turn, round after round, so load changes hit all alike. */
async function timeoutSeries(sides: readonly TimeoutSide[]): Promise<TimeoutTimes[]> {
  for (const side of sides) await side.probe(); // the first workers are up
  const runs: TimeoutTimes[][] = sides.map(() => []);
  for (let i = 0; i < TIMEOUT_RUNS; i++) {
    for (const [s, side] of sides.entries())
      runs[s]?.push(await timeOnce(side.spinFor, side.probe));
  }
  return runs.map((r) => ({
    reject: median(r.map((t) => t.reject)),
    fresh: median(r.map((t) => t.fresh)),
  }));
}

async function timeoutRows(): Promise<Row[]> {
  const threads = new WorkerPool({ module: workUrl, minThreads: 1, maxThreads: 1, execArgv });
  const processes = new WorkerPool({
    module: workUrl,
    minThreads: 1,
    maxThreads: 1,
    runtime: 'process',
    execArgv,
  });
  const piscina = new Piscina({
    filename: fileURLToPath(workUrl),
    minThreads: 1,
    maxThreads: 1,
    execArgv,
  });
  const [thread, process, baseline] = (await timeoutSeries([
    {
      spinFor: (timeout) => threads.run('spin', [], { timeout }),
      probe: () => threads.run('inc', [1]),
    },
    {
      spinFor: (timeout) => processes.run('spin', [], { timeout }),
      probe: () => processes.run('inc', [1]),
    },
    {
      spinFor: (timeout) => piscina.run(0, { name: 'spin', signal: AbortSignal.timeout(timeout) }),
      probe: () => piscina.run(1, { name: 'inc' }),
    },
  ])) as [TimeoutTimes, TimeoutTimes, TimeoutTimes];
  await Promise.all([threads.close(), processes.close(), piscina.close()]);
  const ms = (t: TimeoutTimes): string =>
    `${t.reject.toFixed(1)} ms to reject, ${t.fresh.toFixed(1)} ms to a fresh worker`;
  return [
    {
      benchmark: `WorkerPool running-task timeout (${TIMEOUT_MS} ms, busy loop), thread`,
      ours: ms(thread),
      baseline: `${ms(baseline)} (piscina + AbortSignal.timeout)`,
      ratio: `${(thread.fresh / baseline.fresh).toFixed(2)} fresh-worker time (ours/baseline)`,
      target: '(measured; median of runs)',
    },
    {
      benchmark: '  the same with runtime: process',
      ours: ms(process),
      baseline: `${ms(thread)} (ours, thread runtime)`,
      ratio: `${(process.fresh / thread.fresh).toFixed(1)}× the thread's fresh-worker time`,
      target: '(measured)',
    },
  ];
}

export async function workerPoolRows(): Promise<Row[]> {
  return [...(await mapRows()), ...(await timeoutRows())];
}
