import { availableParallelism } from 'node:os';
import { moduleSpecifier } from './worker-paths.js';
import { WorkerPool } from './worker-pool/worker-pool.js';

// One lazily created pool per worker module. Its threads start on demand, exit after a
// short idle time and are unref'd by piscina while idle, so they never keep a process alive.
const pools = new Map<string, WorkerPool>();
const IDLE_TIMEOUT_MS = 1_000;

function poolFor(module: string | URL): WorkerPool {
  const specifier = moduleSpecifier(module);
  let pool = pools.get(specifier);
  if (pool === undefined) {
    pool = new WorkerPool({
      module: specifier,
      minThreads: 0,
      maxThreads: availableParallelism(),
      idleTimeout: IDLE_TIMEOUT_MS,
    });
    pools.set(specifier, pool);
  }
  return pool;
}

/**
 * Run one blocking function off the event loop, the counterpart of asyncio's
 * `loop.run_in_executor`: calls `exportName(...args)` of `module` on a shared worker pool
 * (one per module, created on first use, threads started on demand). Errors and crashes
 * behave as in `WorkerPool#run`.
 *
 * @example
 * ```ts
 * import { offload } from '@fanout/executors';
 *
 * const hash = await offload<string>(new URL('./hash.js', import.meta.url), 'scrypt', password);
 * ```
 */
export function offload<R>(
  module: string | URL,
  exportName: string,
  ...args: unknown[]
): Promise<R> {
  return poolFor(module).run<R>(exportName, args);
}

/**
 * Close the shared pools `offload` created (after their tasks settle). Not needed for a
 * process to exit; useful in tests and for a clean shutdown. Later `offload` calls create
 * fresh pools.
 */
export async function closeOffloadPools(): Promise<void> {
  const closing = [...pools.values()].map((pool) => pool.close());
  pools.clear();
  await Promise.all(closing);
}
