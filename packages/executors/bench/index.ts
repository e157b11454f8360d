/**
 * Benchmarks of @fanout/executors against the baselines of issues 2 and 17, one table per
 * run (see each file for what it measures):
 *   async-pool.ts   AsyncPool vs p-limit (plain submit) and p-queue (priorities + timeout)
 *   rate-limit.ts   rate-limit precision over 10 s vs p-queue (fixed and strict windows)
 *   worker-pool.ts  WorkerPool.map and .run vs piscina.run, CPU speed-up, running-task timeout
 *   event-loop.ts   watchEventLoop per callback, and per task with task naming
 * Run (builds first; heavy, so under the machine-wide lock):
 *   pnpm turbo run build --filter=@fanout/executors
 *   flock /tmp/fanout-heavy.lock pnpm --filter @fanout/executors bench
 * Uses the built package (dist).
 */
import { availableParallelism } from 'node:os';
import { asyncPoolRows } from './async-pool.js';
import { eventLoopRows } from './event-loop.js';
import { ROUNDS, type Row } from './harness.js';
import { rateLimitRows } from './rate-limit.js';
import { workerPoolRows } from './worker-pool.js';

const rows: Row[] = [
  ...(await asyncPoolRows()),
  ...(await rateLimitRows()),
  ...(await workerPoolRows()),
  ...(await eventLoopRows()),
];

console.log(
  `@fanout/executors benchmarks (node ${process.version}, ${availableParallelism()} cores, median of ${ROUNDS} rounds)\n`,
);
console.table(rows);
