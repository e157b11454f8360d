import { createHook, executionAsyncResource } from 'node:async_hooks';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { currentTask, observeTasks, type TaskTag } from './event-loop-tasks.js';

/** One callback that kept the event loop busy longer than the threshold. */
export interface SlowCallbackEvent {
  /** How long the callback ran, in milliseconds. */
  readonly durationMs: number;
  /** Kind of async resource that ran it: `Timeout`, `Immediate`, `TickObject`, `PROMISE`, `FSReqCallback`, `TCPWRAP`, ... */
  readonly type: string;
  /** Name of the callback function when the resource exposes it (timers, immediates, nextTick), else `undefined`. */
  readonly name: string | undefined;
  /**
   * The pool task the time went to (option `tasks`): the task whose continuation this
   * callback was, or whose synchronous start took most of it. Its `name` option, else its
   * function's name; `undefined` when no pool task was involved or it had no name.
   */
  readonly task: string | undefined;
  /** The `name` of that task's `AsyncPool`, if it has one. */
  readonly pool: string | undefined;
  /** Where the resource was created (`captureStacks: true` only), user frames first. */
  readonly stack: string | undefined;
  /** One readable line (plus the stack when captured): type, callback name, task and pool, creation stack. */
  readonly origin: string;
  /** `performance.now()` when the callback started. */
  readonly startedAt: number;
}

/** Event-loop delay percentiles, in milliseconds, since the watch started (or was reset). */
export interface EventLoopDelay {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/** Event-loop utilisation since the watch started (or was reset): share of time the loop was busy. */
export interface EventLoopUtilization {
  /** `activeMs / (activeMs + idleMs)`, 0 to 1. */
  readonly utilization: number;
  /** Milliseconds the loop spent running callbacks. */
  readonly activeMs: number;
  /** Milliseconds the loop spent waiting for events. */
  readonly idleMs: number;
}

/** Options of `watchEventLoop`. */
export interface WatchEventLoopOptions {
  /** A callback running longer than this is slow. Default 100 (asyncio's `slow_callback_duration`). */
  readonly thresholdMs?: number;
  /**
   * Called for each slow callback, soon after it ended (from a `setImmediate`, never from
   * inside the async hook, so it may do anything, and its errors surface normally).
   */
  readonly onSlow?: (event: SlowCallbackEvent) => void;
  /**
   * Record where every async resource is created so events carry a `stack`. Costs a stack
   * capture per resource (promises included): meant for debugging, off by default.
   */
  readonly captureStacks?: boolean;
  /** Sampling resolution of the delay histogram in ms. Default 10. */
  readonly resolutionMs?: number;
  /**
   * Name the pool task a slow callback belongs to (`task`, `pool`). Default true: one
   * `AsyncLocalStorage.run` and two clock reads per pool task start (see the README's
   * benchmarks for what that costs on your Node version).
   */
  readonly tasks?: boolean;
}

/** A running watch; stop it (or `using` it) to remove the hooks. */
export interface EventLoopWatch extends Disposable {
  /** Remove the hooks and stop sampling. Idempotent; events already seen are still delivered. */
  stop(): void;
  /** Loop-delay percentiles (ms) from `monitorEventLoopDelay`; zeros until a sample exists. */
  delay(): EventLoopDelay;
  /** Event-loop utilisation since the watch started or `resetDelay()` was last called. */
  utilization(): EventLoopUtilization;
  /** Clear the delay histogram and restart the utilisation measure. */
  resetDelay(): void;
  /** Slow callbacks seen so far. */
  readonly slowCallbacks: number;
}

interface Creation {
  readonly type: string;
  readonly trace: { stack?: string };
}

/** The async_hooks type of a resource, from what it is when no init record exists. */
function resourceType(resource: object): string {
  if (resource instanceof Promise) return 'PROMISE';
  const ctor = (resource as { constructor?: { name?: string } }).constructor?.name;
  if (ctor === 'Object' && 'callback' in resource && 'args' in resource) return 'TickObject';
  return ctor === undefined || ctor === '' ? 'Unknown' : ctor;
}

/** The user callback a resource is about to run, read before Node clears it. */
function callbackOf(resource: object): unknown {
  const r = resource as {
    _onTimeout?: unknown;
    _onImmediate?: unknown;
    callback?: unknown;
  };
  return r._onTimeout ?? r._onImmediate ?? r.callback;
}

function userFrames(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined;
  const frames = stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    // Node's own frames (`node:timers`, `node:internal/...`) say nothing about the caller.
    .filter((line) => line.startsWith('at ') && !/[( ]node:/.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

const NS_PER_MS = 1e6;

/** ` in task "parse" of pool "io"`, or what part of it is known. */
function describeTask(tag: TaskTag | undefined): string {
  if (tag === undefined) return '';
  const task = tag.task === undefined ? ' in a task' : ` in task "${tag.task}"`;
  return tag.pool === undefined ? task : `${task} of pool "${tag.pool}"`;
}

/**
 * The counterpart of `asyncio.run(debug=True)`: reports every callback (timer, immediate,
 * nextTick, I/O callback, promise continuation) that kept the event loop busy longer than
 * `thresholdMs`, with its duration and origin, and samples loop-delay percentiles. Two
 * clock reads per callback, so it can stay on in a server; `captureStacks` adds creation
 * stacks for debugging.
 *
 * @example
 * ```ts
 * import { watchEventLoop } from '@fanout/executors';
 *
 * using watch = watchEventLoop({
 *   thresholdMs: 50,
 *   onSlow: (e) => console.warn(`event loop blocked ${e.durationMs.toFixed(0)} ms by ${e.origin}`),
 * });
 * // ... later
 * console.log(watch.delay().p99);
 * ```
 */
export function watchEventLoop(options: WatchEventLoopOptions = {}): EventLoopWatch {
  const thresholdMs = options.thresholdMs ?? 100;
  if (!(thresholdMs >= 0)) throw new RangeError(`thresholdMs must be >= 0, got ${thresholdMs}`);
  const resolution = options.resolutionMs ?? 10;
  if (!Number.isInteger(resolution) || resolution < 1) {
    throw new RangeError(`resolutionMs must be a positive integer, got ${resolution}`);
  }
  const onSlow = options.onSlow;
  const creations = new WeakMap<object, Creation>();

  let depth = 0;
  let startedAt = 0;
  let resource: object | undefined;
  let callback: unknown;
  let slowCallbacks = 0;
  let pending: SlowCallbackEvent[] = [];
  let stopped = false;
  /** The task whose context the current callback runs in. */
  let task: TaskTag | undefined;
  /** The task whose synchronous start took longest inside the current callback. */
  let longestStart: TaskTag | undefined;
  let longestStartMs = 0;

  const deliver = (): void => {
    const events = pending;
    pending = [];
    for (const event of events) onSlow?.(event);
  };

  const queue = (event: SlowCallbackEvent): void => {
    pending.push(event);
    // Deliver outside the hook: an exception thrown inside an async hook kills the process.
    if (pending.length === 1) setImmediate(deliver).unref();
  };

  const report = (durationMs: number): void => {
    slowCallbacks++;
    if (onSlow === undefined || resource === undefined) return;
    const creation = creations.get(resource);
    const type = creation?.type ?? resourceType(resource);
    const name = typeof callback === 'function' && callback.name !== '' ? callback.name : undefined;
    const stack = userFrames(creation?.trace.stack);
    // A task start that took most of the callback says more than the context it ran in.
    const tag =
      longestStart !== undefined && longestStartMs * 2 >= durationMs
        ? longestStart
        : (task ?? longestStart);
    const head = `${name === undefined ? type : `${type} ${name}`}${describeTask(tag)}`;
    const origin = stack === undefined ? head : `${head} created\n${stack}`;
    queue({ durationMs, type, name, task: tag?.task, pool: tag?.pool, stack, origin, startedAt });
  };

  const observer = {
    taskStarted(tag: TaskTag, durationMs: number): void {
      if (depth > 0) {
        if (durationMs > longestStartMs) {
          longestStartMs = durationMs;
          longestStart = tag;
        }
        return;
      }
      // Outside any callback (the main module): nothing else will report it.
      if (durationMs <= thresholdMs || stopped) return;
      slowCallbacks++;
      if (onSlow === undefined) return;
      const origin = `TaskStart${describeTask(tag)}`;
      queue({
        durationMs,
        type: 'TaskStart',
        name: undefined,
        task: tag.task,
        pool: tag.pool,
        stack: undefined,
        origin,
        startedAt: performance.now() - durationMs,
      });
    },
  };

  // Named so the capture can start below it: the hook's own frame is noise.
  const recordCreation = (
    _asyncId: number,
    type: string,
    _trigger: number,
    created: object,
  ): void => {
    const trace: { stack?: string } = {};
    Error.captureStackTrace(trace, recordCreation);
    creations.set(created, { type, trace });
  };
  const hook = createHook({
    ...(options.captureStacks === true ? { init: recordCreation } : {}),
    before(): void {
      // Only the outermost callback is timed; nested ones are part of it.
      if (depth++ === 0) {
        startedAt = performance.now();
        resource = executionAsyncResource();
        callback = callbackOf(resource);
        if (tracking) {
          task = currentTask();
          longestStart = undefined;
          longestStartMs = 0;
        }
      }
    },
    after(): void {
      if (depth === 0) return;
      if (--depth === 0) {
        const durationMs = performance.now() - startedAt;
        // A slow `onSlow` must not report itself, or it would re-arm the delivery forever.
        if (durationMs > thresholdMs && callback !== deliver) report(durationMs);
        resource = undefined;
        callback = undefined;
        task = undefined;
        longestStart = undefined;
      }
    },
  });
  const histogram = monitorEventLoopDelay({ resolution });
  const tracking = options.tasks !== false;
  const stopTasks = tracking ? observeTasks(observer) : undefined;
  let eluStart = performance.eventLoopUtilization();
  hook.enable();
  histogram.enable();

  return {
    stop(): void {
      if (stopped) return;
      stopped = true;
      hook.disable();
      histogram.disable();
      stopTasks?.();
    },
    [Symbol.dispose](): void {
      this.stop();
    },
    delay(): EventLoopDelay {
      if (histogram.count === 0) return { min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 };
      return {
        min: histogram.min / NS_PER_MS,
        max: histogram.max / NS_PER_MS,
        mean: histogram.mean / NS_PER_MS,
        p50: histogram.percentile(50) / NS_PER_MS,
        p90: histogram.percentile(90) / NS_PER_MS,
        p99: histogram.percentile(99) / NS_PER_MS,
      };
    },
    utilization(): EventLoopUtilization {
      const { utilization, active, idle } = performance.eventLoopUtilization(eluStart);
      return { utilization, activeMs: active, idleMs: idle };
    },
    resetDelay(): void {
      histogram.reset();
      eluStart = performance.eventLoopUtilization();
    },
    get slowCallbacks(): number {
      return slowCallbacks;
    },
  };
}
