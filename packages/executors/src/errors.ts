/**
 * Errors a caller of an executor can act on. Each names what went wrong and keeps the
 * underlying error as `cause` where there is one.
 */

/**
 * The executor's queue was full when a task was submitted (`maxQueue` reached).
 * Wait for room (`AsyncPool#waitForRoom`) and submit again, or shed the load.
 *
 * @example
 * ```ts
 * try {
 *   await pool.submit(fetchPage, url);
 * } catch (error) {
 *   if (error instanceof QueueFullError) await pool.waitForRoom();
 * }
 * ```
 */
export class QueueFullError extends Error {
  /** The `maxQueue` limit that was reached. */
  readonly maxQueue: number;

  constructor(maxQueue: number, options?: ErrorOptions) {
    super(`queue is full: ${maxQueue} task(s) already waiting (maxQueue ${maxQueue})`, options);
    this.name = 'QueueFullError';
    this.maxQueue = maxQueue;
  }
}

/**
 * The executor was closed: a task was submitted after `close()`, or a queued task was
 * cancelled by `close({ cancelPending: true })`.
 */
export class ExecutorClosedError extends Error {
  constructor(message = 'executor is closed', options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExecutorClosedError';
  }
}

/**
 * The worker thread running a task died before the task settled: `process.exit()` in the
 * worker, an uncaught exception from a timer or event handler, or running out of memory
 * under `resourceLimits`. `cause` holds what the thread reported (an error, or the exit
 * code). The pool replaces the worker; later tasks are unaffected.
 */
export class WorkerCrashedError extends Error {
  /** The exported function the task was calling. */
  readonly exportName: string;
  /** The worker module. */
  readonly module: string;

  constructor(module: string, exportName: string, options?: ErrorOptions) {
    const reason = describeCause(options?.cause);
    super(`worker crashed while running ${exportName}() of ${module}${reason}`, options);
    this.name = 'WorkerCrashedError';
    this.exportName = exportName;
    this.module = module;
  }
}

function describeCause(cause: unknown): string {
  if (cause === undefined) return '';
  if (cause instanceof Error) return `: ${cause.message}`;
  const message = (cause as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return `: ${message}`;
  if (typeof cause === 'object' && cause !== null) {
    // What Node reports when, e.g., the task's result could not be structured-cloned.
    return ': the thread reported an error without details (was the result cloneable?)';
  }
  return `: ${String(cause)}`;
}
