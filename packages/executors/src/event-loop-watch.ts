import { createHook, executionAsyncResource } from 'node:async_hooks';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** One callback that kept the event loop busy longer than the threshold. */
export interface SlowCallbackEvent {
  /** How long the callback ran, in milliseconds. */
  readonly durationMs: number;
  /** Kind of async resource that ran it: `Timeout`, `Immediate`, `TickObject`, `PROMISE`, `FSReqCallback`, `TCPWRAP`, ... */
  readonly type: string;
  /** Name of the callback function when the resource exposes it (timers, immediates, nextTick), else `undefined`. */
  readonly name: string | undefined;
  /** Where the resource was created (`captureStacks: true` only), user frames first. */
  readonly stack: string | undefined;
  /** One readable line (plus the stack when captured): type, callback name, creation stack. */
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
}

/** A running watch; stop it (or `using` it) to remove the hooks. */
export interface EventLoopWatch extends Disposable {
  /** Remove the hooks and stop sampling. Idempotent; events already seen are still delivered. */
  stop(): void;
  /** Loop-delay percentiles (ms) from `monitorEventLoopDelay`; zeros until a sample exists. */
  delay(): EventLoopDelay;
  /** Clear the delay histogram. */
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

  const deliver = (): void => {
    const events = pending;
    pending = [];
    for (const event of events) onSlow?.(event);
  };

  const report = (durationMs: number): void => {
    slowCallbacks++;
    if (onSlow === undefined || resource === undefined) return;
    const creation = creations.get(resource);
    const type = creation?.type ?? resourceType(resource);
    const name = typeof callback === 'function' && callback.name !== '' ? callback.name : undefined;
    const stack = userFrames(creation?.trace.stack);
    const head = name === undefined ? type : `${type} ${name}`;
    const origin = stack === undefined ? head : `${head} created\n${stack}`;
    pending.push({ durationMs, type, name, stack, origin, startedAt });
    // Deliver outside the hook: an exception thrown inside an async hook kills the process.
    if (pending.length === 1) setImmediate(deliver).unref();
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
      }
    },
  });
  const histogram = monitorEventLoopDelay({ resolution });
  hook.enable();
  histogram.enable();

  return {
    stop(): void {
      if (stopped) return;
      stopped = true;
      hook.disable();
      histogram.disable();
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
    resetDelay(): void {
      histogram.reset();
    },
    get slowCallbacks(): number {
      return slowCallbacks;
    },
  };
}
