/**
 * Per-job overhead: the same tiny jobs through BullMQ used directly and through
 * @fanout/queue, with the same worker-side work (a WorkerPool thread hop per job), so the
 * difference is our layer (encoding, replies, cancel bookkeeping).
 */
import { WorkerPool } from '@fanout/executors';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { createQueueExecutor, startQueueWorker } from '../src/index.js';
import { startQueueWorkerAwaitingReplies } from '../src/queue-worker.js';

export interface OverheadOptions {
  readonly url: string;
  readonly jobs: number;
  readonly threads: number;
  readonly concurrency: number;
  readonly module: URL;
}

/**
 * Marks the timed part of a row (from just before the jobs are sent until the last result
 * is in), so that CPU, like wall time, leaves out the setup and teardown of connections and
 * threads, which differ between the rows.
 */
export interface Clock {
  start(): Promise<void>;
  stop(): Promise<void>;
}

const noClock: Clock = { start: async () => {}, stop: async () => {} };

let seq = 0;
const fresh = (label: string) => `bench-${label}-${process.pid}-${++seq}`;

function connection(url: string) {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port), maxRetriesPerRequest: null };
}

/** BullMQ directly: addBulk, a Worker whose processor runs the task on a WorkerPool, QueueEvents for results. */
export async function bullmqDirect(
  options: OverheadOptions,
  viaPool: boolean,
  clock: Clock = noClock,
): Promise<number> {
  const name = fresh('bullmq');
  const conn = connection(options.url);
  const pool = new WorkerPool({
    module: options.module,
    minThreads: options.threads,
    maxThreads: options.threads,
  });
  const queue = new Queue(name, { connection: conn, prefix: 'bench' });
  const events = new QueueEvents(name, { connection: conn, prefix: 'bench' });
  const worker = new Worker(
    name,
    async (job) => (viaPool ? pool.run('square', [job.data.x]) : job.data.x * job.data.x),
    { connection: conn, prefix: 'bench', concurrency: options.concurrency, autorun: false },
  );
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), worker.waitUntilReady()]);
  // Let QueueEvents' first blocking read reach Redis before jobs are added.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await pool.run('square', [1]);
  void worker.run();
  const results = new Array<number>(options.jobs);
  let done = 0;
  await clock.start();
  const start = performance.now();
  const finished = new Promise<void>((resolve) => {
    events.on('completed', ({ jobId, returnvalue }) => {
      results[Number(jobId.slice(1))] = Number(returnvalue);
      if (++done === options.jobs) resolve();
    });
  });
  await queue.addBulk(
    Array.from({ length: options.jobs }, (_, i) => ({
      name: 'square',
      data: { x: i },
      opts: { jobId: `j${i}`, removeOnComplete: true, removeOnFail: true },
    })),
  );
  await finished;
  const seconds = (performance.now() - start) / 1000;
  await clock.stop();
  if (results[options.jobs - 1] !== (options.jobs - 1) ** 2)
    throw new Error('bullmq: wrong result');
  await worker.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await pool.close();
  return seconds;
}

/**
 * @fanout/queue: map with one item per job (or run per item), worker in this process.
 * `awaitReplies`: the worker waits for each reply before BullMQ marks the job done (the
 * previous design, one more round trip per job), for a side-by-side row.
 */
export async function fanoutQueue(
  options: OverheadOptions,
  mode: 'map' | 'run',
  awaitReplies = false,
  clock: Clock = noClock,
): Promise<number> {
  const queue = fresh('fanout');
  const start = awaitReplies ? startQueueWorkerAwaitingReplies : startQueueWorker;
  const worker = await start({
    connection: options.url,
    queue,
    module: options.module,
    threads: options.threads,
    concurrency: options.concurrency,
  });
  const executor = createQueueExecutor({ connection: options.url, queue });
  await executor.run('square', [1]);
  const items = Array.from({ length: options.jobs }, (_, i) => i);
  await clock.start();
  const began = performance.now();
  const results =
    mode === 'map'
      ? await executor.map<number, number>('square', items, { chunkSize: 1 })
      : await Promise.all(items.map((i) => executor.run<number>('square', [i])));
  const seconds = (performance.now() - began) / 1000;
  await clock.stop();
  if (results[options.jobs - 1] !== (options.jobs - 1) ** 2)
    throw new Error('fanout: wrong result');
  await executor.close();
  await worker.close();
  return seconds;
}
