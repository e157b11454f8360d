/**
 * AsyncPool per-task cost against p-limit (plain submit) and p-queue (priorities and a
 * timeout in use on both sides): 100k no-op async tasks at concurrency 8, so almost every
 * task waits in the queue and the queue's own cost is what is measured.
 */
import pLimit from 'p-limit';
import PQueue from 'p-queue';
import { api, compare, type Row, ratioAtMost } from './harness.js';

const { AsyncPool } = api;
const TASKS = 100_000;
const CONCURRENCY = 8;
const PRIORITIES = 10;
const TIMEOUT_MS = 60_000; // never reached: the cost of arming and clearing it is measured
const noop = async (): Promise<void> => {};
const perTask = (ms: number): number => (ms * 1000) / TASKS;
const us = (ms: number): string => `${perTask(ms).toFixed(2)} µs/task`;

function fill(add: (i: number) => Promise<unknown>): Promise<unknown> {
  const all: Promise<unknown>[] = new Array(TASKS);
  for (let i = 0; i < TASKS; i++) all[i] = add(i);
  return Promise.all(all);
}

export async function asyncPoolRows(): Promise<Row[]> {
  const [submit, run, limit] = await compare(
    () => {
      const pool = new AsyncPool({ maxConcurrency: CONCURRENCY });
      return fill(() => pool.submit(noop));
    },
    () => {
      const pool = new AsyncPool({ maxConcurrency: CONCURRENCY });
      return fill(() => pool.run(noop));
    },
    () => {
      const l = pLimit(CONCURRENCY);
      return fill(() => l(noop));
    },
  );
  const [ours, pqueue] = await compare(
    () => {
      const pool = new AsyncPool({ maxConcurrency: CONCURRENCY });
      return fill((i) => pool.run(noop, { priority: i % PRIORITIES, timeout: TIMEOUT_MS }));
    },
    () => {
      const queue = new PQueue({ concurrency: CONCURRENCY });
      return fill((i) => queue.add(noop, { priority: i % PRIORITIES, timeout: TIMEOUT_MS }));
    },
  );
  return [
    {
      benchmark: `AsyncPool.submit, 100k no-op tasks, concurrency ${CONCURRENCY}`,
      ours: us(submit as number),
      baseline: `${us(limit as number)} (p-limit)`,
      ratio: ratioAtMost(submit as number, limit as number, 0.6),
      target: '≤ 0.6',
    },
    {
      benchmark: 'AsyncPool.run without options (the same tasks)',
      ours: us(run as number),
      baseline: `${us(limit as number)} (p-limit)`,
      ratio: ratioAtMost(run as number, limit as number, 0.6),
      target: '≤ 0.6 (no options, no cost)',
    },
    {
      benchmark: `AsyncPool.run, 100k tasks, ${PRIORITIES} priorities + ${TIMEOUT_MS / 1000} s timeout each`,
      ours: us(ours as number),
      baseline: `${us(pqueue as number)} (p-queue ${'add({ priority, timeout })'})`,
      ratio: ratioAtMost(ours as number, pqueue as number, 0.5),
      target: '≤ 0.5',
    },
  ];
}
