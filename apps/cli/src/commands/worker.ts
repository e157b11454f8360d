/**
 * `fanout worker --redis URL [--queue NAME] [--threads N]`: serves fanout's module tasks
 * (dist/tasks.cjs: gcd) from a BullMQ queue on this machine until SIGINT/SIGTERM.
 */
import { workerFileUrl } from '@fanout/internal/worker-file';
import { checkQueueName, maskUrl, parseRedisUrl, startQueueWorker } from '@fanout/queue';
import type { CommandContext } from '../program.js';
import { whenAborted } from '../signals.js';

/** Flags of `fanout worker`. */
export interface WorkerOptions {
  redis: string;
  queue: string;
  threads: number;
}

/** Running jobs get this long to finish after a signal; then they go back to the queue. */
const DRAIN_MS = 1500;

/** The module the worker serves: the CLI's own task entry. */
export function tasksModule(): URL {
  return workerFileUrl('tasks', import.meta.url);
}

/** Runs `fanout worker`. */
export async function runWorker(options: WorkerOptions, context: CommandContext): Promise<void> {
  // Bad values exit 2 naming what is wrong (RedisUrlError masks the password).
  parseRedisUrl(options.redis);
  checkQueueName(options.queue);
  const worker = await startQueueWorker({
    connection: options.redis,
    queue: options.queue,
    module: tasksModule(),
    threads: options.threads,
    onError: reportOnce(),
  });
  try {
    process.stderr.write(
      `serving queue ${options.queue} on ${maskUrl(options.redis)} with ${options.threads} thread${options.threads === 1 ? '' : 's'} (Ctrl-C to stop)\n`,
    );
    await whenAborted(context.signal);
  } finally {
    await worker.close({ timeoutMs: DRAIN_MS });
    const { completed, failed, cancelled, requeued } = worker.stats;
    process.stderr.write(
      `stopped: ${completed} jobs done, ${failed} failed, ${cancelled} cancelled, ${requeued} put back in the queue\n`,
    );
  }
}

/** Prints each distinct connection problem once (a Redis outage repeats the same error). */
function reportOnce(): (error: Error) => void {
  let last = '';
  return (error) => {
    const text = error.message.replace(/\s*\n\s*/g, ' ');
    if (text === last) return;
    last = text;
    process.stderr.write(`warning: ${text} (retrying)\n`);
  };
}
