/**
 * "Keep the event loop free" as one primitive: long synchronous work is cut into slices of
 * at most `sliceMs`, and between slices the loop gets a macrotask turn, so timers, I/O,
 * signal handlers and abort listeners run. This is the seed's lesson of not blocking the
 * event loop, written once for every engine and runner in fanout.
 */

/** Default longest stretch of synchronous work between two yields, in milliseconds. */
export const DEFAULT_SLICE_MS = 20;

/** Options of `createSlicer`. */
export interface SlicerOptions {
  /** Longest stretch of work between yields, in milliseconds (> 0). Default 20. */
  readonly sliceMs?: number;
  /** Once aborted, `tick()` and `yield()` reject with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** A time slicer; see `createSlicer`. */
export interface Slicer {
  /** Longest stretch of work between yields; may be changed between ticks. */
  sliceMs: number;
  /** True once the current slice has run for `sliceMs` or longer. */
  readonly due: boolean;
  /** How many times the slicer has yielded so far. */
  readonly yields: number;
  /**
   * Call between units of work. Rejects with `signal.reason` once the signal is aborted;
   * when the slice is used up, yields one macrotask turn and starts a new slice; otherwise
   * resolves at once (one microtask).
   */
  tick(): Promise<void>;
  /** Yields one macrotask turn now and starts a new slice; rejects if the signal aborted. */
  yield(): Promise<void>;
}

const resolved = Promise.resolve();

/**
 * Cuts long work into slices. In a hot loop, `if (slicer.due) await slicer.yield()` costs
 * one clock read per unit of work; `await slicer.tick()` is the simpler form where a unit of
 * work is large.
 *
 * @example
 * ```ts
 * import { createSlicer } from '@fanout/executors';
 *
 * const slicer = createSlicer({ sliceMs: 20, signal });
 * for (const item of items) {
 *   await slicer.tick(); // throws signal.reason once aborted
 *   crunch(item);
 * }
 * ```
 */
export function createSlicer(options: SlicerOptions = {}): Slicer {
  const { signal } = options;
  let sliceMs = validSliceMs(options.sliceMs ?? DEFAULT_SLICE_MS);
  let sliceStart = performance.now();
  let yields = 0;

  const yieldNow = async (): Promise<void> => {
    if (signal?.aborted) throw signal.reason;
    await yieldToEventLoop();
    yields++;
    if (signal?.aborted) throw signal.reason;
    sliceStart = performance.now();
  };

  return {
    get sliceMs() {
      return sliceMs;
    },
    set sliceMs(value: number) {
      sliceMs = validSliceMs(value);
    },
    get due() {
      return performance.now() - sliceStart >= sliceMs;
    },
    get yields() {
      return yields;
    },
    tick() {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return performance.now() - sliceStart >= sliceMs ? yieldNow() : resolved;
    },
    yield: yieldNow,
  };
}

function validSliceMs(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`sliceMs must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}

type Schedule = (callback: () => void) => void;

/** The part of a browser's `MessageChannel` used here (typed locally: no DOM lib needed). */
interface BrowserChannel {
  readonly port1: { onmessage: (() => void) | null };
  readonly port2: { postMessage(message: unknown): void };
}

/** The cheapest macrotask available: `setImmediate` in Node, a message port in browsers. */
const scheduleMacrotask: Schedule = (() => {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown })
    .setImmediate;
  if (typeof immediate === 'function') return (callback) => void immediate(callback);
  const Channel = (globalThis as unknown as { MessageChannel?: new () => BrowserChannel })
    .MessageChannel;
  if (typeof Channel === 'function') {
    // setTimeout(0) is clamped to 4 ms once nested; a message event is not.
    const channel = new Channel();
    const pending: (() => void)[] = [];
    channel.port1.onmessage = () => pending.shift()?.();
    return (callback) => {
      pending.push(callback);
      channel.port2.postMessage(0);
    };
  }
  return (callback) => void setTimeout(callback, 0);
})();

/** Resolves after one macrotask turn: timers, I/O and other tasks get to run first. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => scheduleMacrotask(resolve));
}
