import type { TimeoutFrom } from '../errors.js';
import type { MapOptions, TaskOptions } from '../types.js';

/** Options of `AsyncPool`. */
export interface AsyncPoolOptions {
  /**
   * Most tasks in flight at once (a positive integer, or `Infinity`). Can be changed later
   * through the `maxConcurrency` property.
   */
  readonly maxConcurrency: number;
  /**
   * Most tasks waiting for a slot; one more rejects with `QueueFullError`.
   * Default `Infinity`. `0` accepts a task only when a slot is free.
   */
  readonly maxQueue?: number;
  /** The pool's name, reported by `watchEventLoop` beside the task that blocked the loop. */
  readonly name?: string;
  /**
   * Default time limit of every task in milliseconds (`Infinity`, the default, for none);
   * a task's own `timeout` overrides it. See `PoolTaskOptions.timeout`.
   */
  readonly timeout?: number;
  /** What the default `timeout` counts from: `'start'` (default) or `'submit'`. */
  readonly timeoutFrom?: TimeoutFrom;
  /**
   * Rate limit: at most `intervalCap` task starts in any `interval` milliseconds, on top of
   * `maxConcurrency` (a sliding window: a start counts from its call until `interval` ms
   * after the call returned, then stops counting; running tasks do not count). Both or
   * neither.
   */
  readonly intervalCap?: number;
  /** The rate limit's window in milliseconds; see `intervalCap`. */
  readonly interval?: number;
}

/** Options of one task of an `AsyncPool` (`run`). */
export interface PoolTaskOptions extends TaskOptions {
  /**
   * Higher starts first; equal priorities start in submission order. Default 0. Any number
   * but `NaN` (`Infinity` too). Change it while the task waits with `setPriority(id, …)`.
   */
  readonly priority?: number;
  /** Identifies the task for `setPriority`; need not be unique (all matches change). */
  readonly id?: unknown;
  /** Names the task in `TimeoutError`, events and `watchEventLoop` reports. Default: the function's name. */
  readonly name?: string;
  /**
   * Time limit in milliseconds (overrides the pool's; `Infinity` for none). When it is
   * reached, the promise rejects with `TimeoutError` and the task's `signal` aborts with it;
   * a queued task is removed. A running task keeps its slot until its function settles, so
   * `maxConcurrency` always bounds the functions really running: pass the signal on.
   */
  readonly timeout?: number;
  /** What `timeout` counts from: `'start'` (default: time spent running) or `'submit'` (queue wait included). */
  readonly timeoutFrom?: TimeoutFrom;
}

/** Options of `AsyncPool#map`: those of `map`, plus task options applied to every item. */
export interface PoolMapOptions
  extends MapOptions,
    Pick<PoolTaskOptions, 'priority' | 'name' | 'timeout' | 'timeoutFrom'> {}

/** Largest delay `setTimeout` honours; longer ones fire after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Checks a concurrency limit: a positive integer or `Infinity`. */
export function checkConcurrency(value: number): number {
  if (!(Number.isInteger(value) || value === Number.POSITIVE_INFINITY) || value < 1) {
    throw new RangeError(`maxConcurrency must be a positive integer, got ${value}`);
  }
  return value;
}

/** Checks a time limit: a positive number of ms up to `MAX_TIMER_MS`, or `Infinity` for none. */
export function checkTimeout(value: number, what = 'timeout'): number {
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== 'number' || !(value > 0) || value > MAX_TIMER_MS) {
    throw new RangeError(
      `${what} must be a positive number of milliseconds up to ${MAX_TIMER_MS}, or Infinity, got ${String(value)}`,
    );
  }
  return value;
}

/** Checks `timeoutFrom`. */
export function checkTimeoutFrom(value: string): TimeoutFrom {
  if (value !== 'start' && value !== 'submit') {
    throw new RangeError(`timeoutFrom must be 'start' or 'submit', got ${String(value)}`);
  }
  return value;
}

/** Checks a priority: any number but `NaN`. */
export function checkPriority(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`priority must be a number, got ${String(value)}`);
  }
  return value;
}

/** The validated rate limit of the options, or undefined without one. */
export function rateLimitOf(
  options: AsyncPoolOptions,
): { readonly cap: number; readonly interval: number } | undefined {
  const { intervalCap, interval } = options;
  if (intervalCap === undefined && interval === undefined) return undefined;
  if (intervalCap === undefined || interval === undefined) {
    throw new RangeError('intervalCap and interval go together: give both or neither');
  }
  if (!Number.isInteger(intervalCap) || intervalCap < 1) {
    throw new RangeError(`intervalCap must be a positive integer, got ${intervalCap}`);
  }
  if (!(interval > 0) || interval > MAX_TIMER_MS) {
    throw new RangeError(
      `interval must be a positive number of milliseconds up to ${MAX_TIMER_MS}, got ${interval}`,
    );
  }
  return { cap: intervalCap, interval };
}
