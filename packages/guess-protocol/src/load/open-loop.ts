import { performance } from 'node:perf_hooks';
import type { LatencySummary } from './histogram.js';
import { countError, type LoadConnection, openConnection } from './load-connection.js';
import { checkRange, createShared, startRunTimers } from './run-parts.js';

/** Options of {@link runOpenLoad}. */
export interface OpenLoadOptions {
  /** Server host; default `127.0.0.1`. */
  readonly host?: string;
  readonly port: number;
  /** New games started per second, whatever the server's pace (each on a new connection). */
  readonly rate: number;
  /** How long to keep starting games, in ms. Games under way then are played to the end. */
  readonly durationMs: number;
  /** Range of every game; default 1..100. */
  readonly lower?: number;
  readonly upper?: number;
  /**
   * Games in flight at most (connections open at once). A game due while this many are
   * still playing is not started and counts as failed (`in-flight-limit`). Default 10,000.
   */
  readonly maxInFlight?: number;
  /** A game silent for this long (connecting or waiting for a guess) fails; default 30,000 ms. */
  readonly timeoutMs?: number;
  /** Aborting cuts every connection; `runOpenLoad` then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called about four times a second, and once at the end. */
  readonly onProgress?: (progress: OpenLoadProgress) => void;
  /** Random source for the secrets; default `Math.random`. */
  readonly random?: () => number;
}

/** Progress of an open-loop run. */
export interface OpenLoadProgress {
  /** Games due so far. */
  readonly scheduled: number;
  readonly inFlight: number;
  readonly games: number;
  readonly failed: number;
}

/** What {@link runOpenLoad} measured. Latencies are {@link LatencySummary}s in ms. */
export interface OpenLoadResult {
  /** The rate asked for, games per second. */
  readonly rate: number;
  /** How long games were started, in seconds. */
  readonly durationSeconds: number;
  /** Games due in that time (rate × duration). */
  readonly scheduled: number;
  /** Games played to `Correct`. */
  readonly games: number;
  /** Games that failed: could not connect, broke, timed out, or hit `maxInFlight`. */
  readonly failedGames: number;
  /** From the first start to the last game's end, in seconds. */
  readonly seconds: number;
  /** Completed games per second of `seconds`. */
  readonly gamesPerSecond: number;
  /** NUMBER → guess exchanges. */
  readonly roundTrips: number;
  /** Guesses per completed game. */
  readonly meanGuesses: number;
  /**
   * From the moment a game was due to its first guess (connect, accept, first answer):
   * what a new client waits. Counted from the schedule, so a server or generator that
   * falls behind cannot hide it (corrected for coordinated omission, as wrk2 does).
   */
  readonly firstReply: LatencySummary;
  /** From the moment a game was due to its `Correct`. */
  readonly game: LatencySummary;
  /** Each NUMBER sent → guess received, within games. */
  readonly roundTrip: LatencySummary;
  /** How late this generator itself started games (timer lag): if large, it was the bottleneck. */
  readonly maxStartLagMs: number;
  /** Failures by kind: an ERROR code, a socket error code, `timeout`, `closed` or `in-flight-limit`. */
  readonly errors: Readonly<Record<string, number>>;
}

function check(name: string, value: number, valid: boolean): void {
  if (!valid) throw new RangeError(`${name} must be a positive number, got ${value}`);
}

/**
 * Open-loop load generator, the way wrk2 and autocannon's `-R` measure: new games arrive
 * at a fixed `rate` for `durationMs`, each on a new connection, whether or not earlier
 * games have finished, and every latency counts from when its game was due. So a server
 * that stops accepting shows up as growing first-reply times instead of a quietly
 * slower request rate. Stops by itself: games under way at the end are played out (or
 * time out).
 *
 * @example
 * ```ts
 * const result = await runOpenLoad({ port, rate: 200, durationMs: 10_000 });
 * console.log(result.firstReply.p99, result.failedGames);
 * ```
 */
export async function runOpenLoad(options: OpenLoadOptions): Promise<OpenLoadResult> {
  const host = options.host ?? '127.0.0.1';
  const lower = options.lower ?? 1;
  const upper = options.upper ?? 100;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxInFlight = options.maxInFlight ?? 10_000;
  const { rate, durationMs } = options;
  check('rate', rate, Number.isFinite(rate) && rate > 0);
  check('durationMs', durationMs, Number.isFinite(durationMs) && durationMs > 0);
  check('maxInFlight', maxInFlight, Number.isSafeInteger(maxInFlight) && maxInFlight > 0);
  checkRange(lower, upper);
  const signal = options.signal;
  signal?.throwIfAborted();
  const shared = createShared({
    lower,
    upper,
    games: 1,
    random: options.random,
    openLoop: true,
  });
  const scheduled = Math.max(1, Math.round((rate * durationMs) / 1000));
  const inFlight = new Set<LoadConnection>();
  const games: Promise<void>[] = [];
  let started = 0;
  let maxStartLagMs = 0;
  let aborted = false;

  const start = (index: number, dueAt: number): void => {
    if (inFlight.size >= maxInFlight) {
      shared.failed++;
      countError(shared, 'in-flight-limit');
      return;
    }
    const lag = performance.now() - dueAt;
    if (lag > maxStartLagMs) maxStartLagMs = lag;
    let created: LoadConnection | undefined;
    games[index] = openConnection(host, options.port, timeoutMs, shared, (connection) => {
      created = connection;
      connection.scheduledAt = dueAt;
      inFlight.add(connection);
    }).then(async (connection) => {
      try {
        if (connection !== undefined && aborted) connection.fail('aborted');
        else if (connection !== undefined) await connection.play();
      } finally {
        if (created !== undefined) inFlight.delete(created);
      }
    });
  };

  const progress = (): OpenLoadProgress => ({
    scheduled: started,
    inFlight: inFlight.size,
    games: shared.gamesDone,
    failed: shared.failed,
  });
  const onProgress = options.onProgress;
  const stopTimers = startRunTimers(inFlight, timeoutMs, onProgress, progress);
  const onAbort = (): void => {
    aborted = true;
    for (const connection of inFlight) connection.fail('aborted');
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const t0 = performance.now();
  try {
    // Start every game that is due, catching up at once after a late timer: arrivals do
    // not wait for the server (that is what makes the loop open).
    await new Promise<void>((resolve) => {
      const interval = 1000 / rate;
      const tick = (): void => {
        if (aborted) {
          resolve();
          return;
        }
        const due = Math.min(scheduled, Math.floor((performance.now() - t0) / interval) + 1);
        while (started < due) {
          start(started, t0 + started * interval);
          started++;
        }
        if (started >= scheduled) resolve();
        else
          setTimeout(
            tick,
            Math.max(0, Math.min(interval, t0 + started * interval - performance.now())),
          );
      };
      tick();
    });
    await Promise.all(games);
    if (aborted) signal?.throwIfAborted();
    const seconds = (performance.now() - t0) / 1000;
    const result: OpenLoadResult = {
      rate,
      durationSeconds: durationMs / 1000,
      scheduled,
      games: shared.gamesDone,
      failedGames: shared.failed,
      seconds,
      gamesPerSecond: seconds > 0 ? shared.gamesDone / seconds : 0,
      roundTrips: shared.roundTrips,
      meanGuesses: shared.gamesDone > 0 ? shared.guessesInCompletedGames / shared.gamesDone : 0,
      firstReply: shared.firstReply!.summary(),
      game: shared.gameLatency!.summary(),
      roundTrip: shared.latency.summary(),
      maxStartLagMs,
      errors: { ...shared.errors },
    };
    onProgress?.(progress());
    return result;
  } finally {
    stopTimers();
    signal?.removeEventListener('abort', onAbort);
  }
}
