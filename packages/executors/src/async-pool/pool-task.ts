import type { TimeoutFrom } from '../errors.js';
import {
  checkPriority,
  checkTimeout,
  checkTimeoutFrom,
  type PoolTaskOptions,
} from './pool-options.js';
import { AbortableTaskContext, contextFor } from './task-context.js';
import { NOT_QUEUED, type Place, type QueueEntry } from './task-queue.js';

/** Life of a task in an `AsyncPool`. */
export const QUEUED = 0;
export const RUNNING = 1;
/** Its function settled, or it left the queue without running (aborted, cleared, timed out). */
export const DONE = 2;

/**
 * What only some tasks need: options (name, id, signal, timeout) and their state. Kept
 * apart so that a plain queued task is a small object (with 100k tasks queued, allocation
 * and GC are most of the cost).
 */
export class TaskExtras {
  name: string | undefined = undefined;
  id: unknown = undefined;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  timeoutMs = Number.POSITIVE_INFINITY;
  timeoutFromSubmit = false;
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  context: AbortableTaskContext | undefined = undefined;
  /** The caller's promise has settled (a timed-out task may still be running). */
  settled = false;
}

/**
 * One task the pool accepted (tasks started at once by `submit` on the fast path have no
 * such record). Every field is set in the constructor so all tasks share one shape.
 */
export class PoolTask implements QueueEntry {
  priority = 0;
  seq = 0;
  place: Place = NOT_QUEUED;
  heapIndex = -1;
  state: typeof QUEUED | typeof RUNNING | typeof DONE = QUEUED;
  readonly fn: (...args: never[]) => unknown;
  readonly args: readonly unknown[];
  readonly resolve: (value: never) => void;
  readonly reject: (reason: unknown) => void;
  readonly extras: TaskExtras | undefined;

  constructor(
    fn: (...args: never[]) => unknown,
    args: readonly unknown[],
    resolve: (value: never) => void,
    reject: (reason: unknown) => void,
    extras: TaskExtras | undefined,
  ) {
    this.fn = fn;
    this.args = args;
    this.resolve = resolve;
    this.reject = reject;
    this.extras = extras;
  }

  /** The name reports use: the given `name`, else the function's own name, else undefined. */
  get displayName(): string | undefined {
    return this.extras?.name ?? (this.fn.name === '' ? undefined : this.fn.name);
  }

  /** The task's `id` option. */
  get id(): unknown {
    return this.extras?.id;
  }
}

/**
 * The record of a task taking the slow path. `args` undefined means a `run` task, whose one
 * argument is its context (abortable by the pool when a timeout applies). Throws on invalid
 * options (the caller rejects the task's promise with that error).
 */
export function createTask(
  fn: (...args: never[]) => unknown,
  args: readonly unknown[] | undefined,
  resolve: (value: never) => void,
  reject: (reason: unknown) => void,
  signal: AbortSignal | undefined,
  options: PoolTaskOptions | undefined,
  poolTimeoutMs: number,
  poolTimeoutFrom: TimeoutFrom,
): PoolTask {
  let timeoutMs = poolTimeoutMs;
  let from = poolTimeoutFrom;
  let priority = 0;
  if (options !== undefined) {
    if (options.priority !== undefined) priority = checkPriority(options.priority);
    if (options.timeout !== undefined) timeoutMs = checkTimeout(options.timeout);
    if (options.timeoutFrom !== undefined) from = checkTimeoutFrom(options.timeoutFrom);
  }
  const timed = timeoutMs !== Number.POSITIVE_INFINITY;
  let extras: TaskExtras | undefined;
  if (timed || signal !== undefined || options?.name !== undefined || options?.id !== undefined) {
    extras = new TaskExtras();
    extras.name = options?.name;
    extras.id = options?.id;
    extras.signal = signal;
    extras.timeoutMs = timeoutMs;
    extras.timeoutFromSubmit = from === 'submit';
  }
  let taskArgs = args;
  if (taskArgs === undefined) {
    // A `run` task: its one argument is its context.
    if (extras !== undefined && timed) {
      extras.context = new AbortableTaskContext(signal);
      taskArgs = [extras.context];
    } else {
      taskArgs = [contextFor(signal)];
    }
  }
  const task = new PoolTask(fn, taskArgs, resolve, reject, extras);
  task.priority = priority;
  return task;
}
