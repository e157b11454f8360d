/**
 * The queue run of `fanout gcd --mode queue|all --redis URL`: the pairs go through a
 * BullMQ queue to whatever `fanout worker` processes serve it, on any machine.
 */
import type { GcdAlgorithm, GcdPair, GcdValue } from '@fanout/parallel-gcd';
import { createQueueExecutor, maskUrl } from '@fanout/queue';
import { NoQueueWorkersError } from '../errors.js';
import type { GcdJob } from '../tasks.js';

/** What the queue run reports, shaped like parallel-gcd's runs. */
export interface GcdQueueRun {
  readonly mode: 'queue';
  readonly algorithm: GcdAlgorithm;
  readonly results: GcdValue[];
  readonly seconds: number;
  /** Workers connected to the queue when the run started. */
  readonly workers: number;
}

/** Options of `runQueue`. */
export interface GcdQueueOptions {
  readonly redis: string;
  readonly queue: string;
  readonly algorithm: GcdAlgorithm;
  readonly signal: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Jobs a run is split into at most: enough to spread over many workers, few round trips. */
const MAX_JOBS = 128;

/**
 * Runs the pairs on the queue's workers, in chunks (one job each), and resolves with the
 * results in input order. The clock runs from the first job sent to the last result in.
 */
export async function runQueue(
  pairs: readonly GcdPair[],
  options: GcdQueueOptions,
): Promise<GcdQueueRun> {
  const executor = createQueueExecutor({ connection: options.redis, queue: options.queue });
  try {
    const workers = await executor.workerCount().catch(() => -1);
    if (workers === 0) {
      throw new NoQueueWorkersError(
        `no worker serves queue ${options.queue} on ${maskUrl(options.redis)}: start one with fanout worker --redis URL --queue ${options.queue}`,
      );
    }
    const size = Math.max(1, Math.ceil(pairs.length / MAX_JOBS));
    const jobs: GcdJob[] = [];
    for (let start = 0; start < pairs.length; start += size) {
      jobs.push({ pairs: pairs.slice(start, start + size), algorithm: options.algorithm });
    }
    let done = 0;
    const start = performance.now();
    const chunks = await Promise.all(
      jobs.map((job) =>
        executor.run<GcdValue[]>('gcdPairs', [job], { signal: options.signal }).then((values) => {
          done += values.length;
          options.onProgress?.(done, pairs.length);
          return values;
        }),
      ),
    );
    const seconds = (performance.now() - start) / 1000;
    return {
      mode: 'queue',
      algorithm: options.algorithm,
      results: chunks.flat(),
      seconds,
      workers: Math.max(workers, 0),
    };
  } finally {
    await executor.close({ cancelPending: true });
  }
}
