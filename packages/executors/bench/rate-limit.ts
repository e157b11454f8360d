/**
 * Rate-limit precision over a 10 s run: AsyncPool and p-queue (fixed windows, its default,
 * and `strict` sliding window) run side by side at the same time with the same limit and
 * more work than the limit lets through. Every task start is timed; the table gives the
 * most starts seen in any `interval`-long window (sliding, so a burst across a fixed
 * boundary counts) and how many started in all.
 */
import { performance } from 'node:perf_hooks';
import PQueue from 'p-queue';
import { api, type Row } from './harness.js';

const { AsyncPool } = api;
const RUN_MS = Number(process.env.BENCH_RATE_MS ?? 10_000);
const INTERVAL = 100;
const CAP = 20;
const CONCURRENCY = 16;

/** Most starts in any window [t, t + INTERVAL) over sorted start times. */
function mostInAnyWindow(starts: readonly number[]): number {
  let most = 0;
  let from = 0;
  for (let to = 0; to < starts.length; to++) {
    while ((starts[to] as number) - (starts[from] as number) >= INTERVAL) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

interface Side {
  readonly starts: number[];
  add(task: () => Promise<void>): Promise<void>;
  stop(): void;
}

function work(starts: number[]): () => Promise<void> {
  return async () => {
    starts.push(performance.now());
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
  };
}

export async function rateLimitRows(): Promise<Row[]> {
  const ours: Side = (() => {
    const pool = new AsyncPool({
      maxConcurrency: CONCURRENCY,
      intervalCap: CAP,
      interval: INTERVAL,
    });
    const starts: number[] = [];
    return { starts, add: (t) => pool.submit(t), stop: () => void pool.clear() };
  })();
  const pqueue = (strict: boolean): Side => {
    const queue = new PQueue({
      concurrency: CONCURRENCY,
      intervalCap: CAP,
      interval: INTERVAL,
      strict,
    });
    const starts: number[] = [];
    return { starts, add: (t) => queue.add(t), stop: () => queue.clear() };
  };
  const sides = [ours, pqueue(false), pqueue(true)];
  // More than the limit lets through in RUN_MS: the limiter, not the supply, decides.
  const offered = Math.ceil((RUN_MS / INTERVAL) * CAP * 1.5);
  const settled = sides.map((side) => {
    const starts = side.starts;
    return Array.from({ length: offered }, () => side.add(work(starts)).catch(() => {}));
  });
  await new Promise((resolve) => setTimeout(resolve, RUN_MS));
  for (const side of sides) side.stop();
  await Promise.all(settled.flat());
  // Starts at 0 and at the stop both count: the limit lets through one window more.
  const ideal = (Math.floor(RUN_MS / INTERVAL) + 1) * CAP;
  const [o, fixed, strict] = sides.map((side) => ({
    most: mostInAnyWindow(side.starts),
    total: side.starts.length,
  })) as { most: number; total: number }[];
  const line = (s: { most: number; total: number }): string =>
    `max ${s.most} starts/${INTERVAL} ms, ${s.total} started`;
  const verdict = (s: { most: number }): string => (s.most <= CAP ? '✅' : '❌');
  return [
    {
      benchmark: `rate limit ${CAP} per ${INTERVAL} ms, ${RUN_MS / 1000} s run (at most ${ideal} starts)`,
      ours: line(o as { most: number; total: number }),
      baseline: `${line(fixed as { most: number; total: number })} (p-queue, fixed windows)`,
      ratio: `ours ${verdict(o as { most: number })} p-queue ${verdict(fixed as { most: number })}`,
      target: `never > ${CAP} in any ${INTERVAL} ms`,
    },
    {
      benchmark: '  same run, p-queue strict (sliding window)',
      ours: line(o as { most: number; total: number }),
      baseline: `${line(strict as { most: number; total: number })} (p-queue strict)`,
      ratio: `ours ${verdict(o as { most: number })} p-queue ${verdict(strict as { most: number })}`,
      target: `never > ${CAP} in any ${INTERVAL} ms`,
    },
  ];
}
