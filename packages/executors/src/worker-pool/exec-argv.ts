import { Worker } from 'node:worker_threads';

/**
 * Why worker threads cannot start with `execArgv`, or undefined if they can. Node refuses
 * flags it does not allow in workers when a `Worker` is constructed, synchronously; inside
 * piscina that would throw out of `run()` with the task left in its queue, so the pool
 * finds out once, up front, with a thread that exits at once. Nothing to check without flags.
 */
export function execArgvError(execArgv: readonly string[] | undefined): unknown {
  if (execArgv === undefined || execArgv.length === 0) return undefined;
  try {
    const probe = new Worker('', { eval: true, execArgv: [...execArgv] });
    probe.unref();
    void probe.terminate();
    return undefined;
  } catch (error) {
    return error;
  }
}
