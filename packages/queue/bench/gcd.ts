/**
 * The seed's NUMBERS × 200 through the queue to one and to two worker processes (one
 * thread each, on this machine), and the same work on a local WorkerPool of one and two
 * threads: what the queue's round trips cost, and how it scales with workers.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { WorkerPool } from '@fanout/executors';
import { chapterPairs, type GcdPair } from '@fanout/parallel-gcd';
import { createQueueExecutor } from '../src/index.js';

const TASK = new URL('./gcd-task.mjs', import.meta.url);
const WORKER = new URL('./worker-process.mjs', import.meta.url);

let seq = 0;

async function startWorkers(url: string, queue: string, count: number): Promise<ChildProcess[]> {
  const children = Array.from({ length: count }, () =>
    fork(WORKER, [], { env: { ...process.env, REDIS_URL: url, QUEUE: queue, THREADS: '1' } }),
  );
  await Promise.all(children.map((child) => once(child, 'message')));
  return children;
}

async function stopWorkers(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((child) => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      return exited;
    }),
  );
}

/** Seconds for the pairs through the queue to `workers` worker processes (started before the clock). */
export async function gcdOnQueue(
  url: string,
  pairs: readonly GcdPair[],
  workers: number,
  chunkSize: number,
): Promise<{ seconds: number; results: unknown[] }> {
  const queue = `bench-gcd-${process.pid}-${++seq}`;
  const children = await startWorkers(url, queue, workers);
  const executor = createQueueExecutor({ connection: url, queue });
  try {
    // Warm: every worker's thread has loaded the task module.
    await executor.map(
      'square',
      Array.from({ length: workers * 4 }, (_, i) => i),
      { chunkSize: 1 },
    );
    const start = performance.now();
    const results = await executor.map('gcdPair', pairs, { chunkSize });
    return { seconds: (performance.now() - start) / 1000, results };
  } finally {
    await executor.close();
    await stopWorkers(children);
  }
}

/** Seconds for the pairs on a local WorkerPool of `threads` threads (started before the clock). */
export async function gcdOnPool(
  pairs: readonly GcdPair[],
  threads: number,
  chunkSize: number,
): Promise<{ seconds: number; results: unknown[] }> {
  const pool = new WorkerPool({ module: TASK, minThreads: threads, maxThreads: threads });
  try {
    await pool.map(
      'square',
      Array.from({ length: threads * 4 }, (_, i) => i),
      { chunkSize: 1 },
    );
    const start = performance.now();
    const results = await pool.map('gcdPair', pairs, { chunkSize });
    return { seconds: (performance.now() - start) / 1000, results };
  } finally {
    await pool.close();
  }
}

export const CHAPTER_X200: readonly GcdPair[] = chapterPairs(200);
