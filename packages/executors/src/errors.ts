/**
 * Errors a caller of an executor can act on. Each has a stable `code` (also on the class,
 * so `error.code === QueueFullError.code`), names what went wrong and keeps the underlying
 * error as `cause` where there is one.
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
  static readonly code = 'FANOUT_QUEUE_FULL';
  readonly code = QueueFullError.code;
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
  static readonly code = 'FANOUT_EXECUTOR_CLOSED';
  readonly code = ExecutorClosedError.code;

  constructor(message = 'executor is closed', options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExecutorClosedError';
  }
}

/** Where a timeout was counted from: the task's submission or its start. */
export type TimeoutFrom = 'start' | 'submit';

/**
 * A task ran out of time (its `timeout`). The task's `signal` aborted with this error as its
 * reason; in a `WorkerPool` the thread running it was ended and a fresh one replaces it.
 * Retry with a longer `timeout`, or make the task faster.
 *
 * @example
 * ```ts
 * try {
 *   await pool.run(({ signal }) => fetch(url, { signal }), { timeout: 2_000, name: 'fetch' });
 * } catch (error) {
 *   if (error instanceof TimeoutError) console.warn(`${error.taskName} took over ${error.timeoutMs} ms`);
 * }
 * ```
 */
export class TimeoutError extends Error {
  static readonly code = 'FANOUT_TIMEOUT';
  readonly code = TimeoutError.code;
  /** The task's `name` (its export name in a `WorkerPool`), when it has one. */
  readonly taskName: string | undefined;
  /** The limit that was reached, in milliseconds. */
  readonly timeoutMs: number;
  /** Whether the limit counted from submission or from start. */
  readonly from: TimeoutFrom;
  /** True when the task was still waiting in the queue (so it never ran). */
  readonly queued: boolean;

  constructor(
    taskName: string | undefined,
    timeoutMs: number,
    from: TimeoutFrom,
    queued: boolean,
    options?: ErrorOptions,
  ) {
    const what = taskName === undefined ? 'task' : `task "${taskName}"`;
    const where = queued ? ', still queued' : '';
    super(`${what} timed out after ${timeoutMs} ms (counted from ${from}${where})`, options);
    this.name = 'TimeoutError';
    this.taskName = taskName;
    this.timeoutMs = timeoutMs;
    this.from = from;
    this.queued = queued;
  }
}

/**
 * A queued task was removed by `clear()` before it started: it never ran. Submit it again
 * if it is still wanted.
 */
export class TaskClearedError extends Error {
  static readonly code = 'FANOUT_TASK_CLEARED';
  readonly code = TaskClearedError.code;
  /** The task's `name`, when it has one. */
  readonly taskName: string | undefined;

  constructor(taskName?: string, options?: ErrorOptions) {
    const what = taskName === undefined ? 'queued task' : `queued task "${taskName}"`;
    super(`${what} was cleared before it started`, options);
    this.name = 'TaskClearedError';
    this.taskName = taskName;
  }
}

/**
 * The worker (thread or process) running a task died before the task settled:
 * `process.exit()` in the worker, an uncaught exception from a timer or event handler,
 * running out of memory under `resourceLimits`, or its `setup` threw; also a result that
 * cannot be cloned back. `cause` holds what the worker reported (an error, or the exit
 * code or signal). The pool replaces the worker; later tasks are unaffected.
 */
export class WorkerCrashedError extends Error {
  static readonly code = 'FANOUT_WORKER_CRASHED';
  readonly code = WorkerCrashedError.code;
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
  if (typeof cause !== 'object' || cause === null) return `: ${String(cause)}`;
  const { name, message, stack } = cause as { name?: unknown; message?: unknown; stack?: unknown };
  // Node reports a result that cannot be structured-cloned differently from one version to
  // the next (an empty object, or a DataCloneError with or without a message).
  if (
    name === 'DataCloneError' ||
    (typeof stack === 'string' && stack.startsWith('DataCloneError')) ||
    // What V8's serializer says between processes.
    (typeof message === 'string' && message.endsWith('could not be cloned.'))
  ) {
    return ': its result is not cloneable (functions, symbols and class instances with private state cannot cross threads)';
  }
  if (typeof message === 'string' && message !== '') return `: ${message}`;
  return ': the thread reported an error without details (is the result cloneable?)';
}
