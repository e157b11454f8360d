import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from './histogram.js';
import type { LoadConnection, Shared } from './load-connection.js';

/** The state every connection of one run shares, with empty counters. */
export function createShared(options: {
  readonly lower: number;
  readonly upper: number;
  readonly games: number;
  readonly random: (() => number) | undefined;
  /** Open loop: also record first-reply and game latencies. */
  readonly openLoop?: boolean;
}): Shared {
  return {
    lower: options.lower,
    upper: options.upper,
    games: options.games,
    random: options.random ?? Math.random,
    latency: new LatencyHistogram(),
    ...(options.openLoop === true
      ? { firstReply: new LatencyHistogram(), gameLatency: new LatencyHistogram() }
      : {}),
    readBuffer: Buffer.allocUnsafe(64 * 1024),
    errors: {},
    gamesDone: 0,
    guessesInCompletedGames: 0,
    roundTrips: 0,
    failed: 0,
  };
}

/** Throws a RangeError unless `lower..upper` is a range of safe integers. */
export function checkRange(lower: number, upper: number): void {
  if (!Number.isSafeInteger(lower) || !Number.isSafeInteger(upper) || lower > upper) {
    throw new RangeError(
      `lower..upper must be integers with lower <= upper, got ${lower}..${upper}`,
    );
  }
}

/**
 * The timers of a run: one watchdog for all connections (instead of a timer refreshed on
 * every read and write) that fails those silent for `timeoutMs`, and `onProgress` about
 * four times a second. Returns the function that stops both.
 */
export function startRunTimers<P>(
  connections: Iterable<LoadConnection>,
  timeoutMs: number,
  onProgress: ((progress: P) => void) | undefined,
  progress: () => P,
): () => void {
  const ticker =
    onProgress === undefined ? undefined : setInterval(() => onProgress(progress()), 250).unref();
  const watchdog =
    timeoutMs > 0
      ? setInterval(
          () => {
            const deadline = performance.now() - timeoutMs;
            for (const connection of connections) {
              if (connection.active && connection.lastActivity < deadline) {
                connection.fail('timeout');
              }
            }
          },
          Math.min(1_000, Math.max(10, timeoutMs / 4)),
        ).unref()
      : undefined;
  return () => {
    if (ticker !== undefined) clearInterval(ticker);
    if (watchdog !== undefined) clearInterval(watchdog);
  };
}
