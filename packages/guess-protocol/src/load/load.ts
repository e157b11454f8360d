import { performance } from 'node:perf_hooks';
import { type LoadConnection, openConnection } from './load-connection.js';
import { checkRange, createShared, startRunTimers } from './run-parts.js';

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** Server host; default `127.0.0.1`. */
  readonly host?: string;
  readonly port: number;
  /** Concurrent connections (all are opened before any game starts). */
  readonly sessions: number;
  /** Games each connection plays to `Correct`, one after another (at most, with `durationMs`). */
  readonly games: number;
  /**
   * Stop after this long (ms from the start of play): no connection starts another game,
   * each finishes the one it is playing. Default: play every game.
   */
  readonly durationMs?: number;
  /** Range of every game; default 1..100. */
  readonly lower?: number;
  readonly upper?: number;
  /** Aborting cuts every connection; `runLoad` then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called about four times a second, and once at the end. */
  readonly onProgress?: (progress: LoadProgress) => void;
  /** A connection silent for this long (connecting or waiting for a guess) fails; default 30,000 ms. */
  readonly timeoutMs?: number;
  /** Connection attempts in flight at once during the connect phase; default 256. */
  readonly connectConcurrency?: number;
  /** Random source for the secrets; default `Math.random`. */
  readonly random?: () => number;
}

/** Progress of a load run. */
export interface LoadProgress {
  readonly connected: number;
  readonly games: number;
  readonly roundTrips: number;
  readonly failedSessions: number;
}

/** What {@link runLoad} measured. */
export interface LoadResult {
  /** Connections asked for. */
  readonly sessions: number;
  /** Connections that failed to connect or broke before their last game ended. */
  readonly failedSessions: number;
  /** Games played to `Correct`. */
  readonly games: number;
  /** Wall time of the whole run (connect phase included), in seconds. */
  readonly seconds: number;
  /** Time to open every connection, in seconds. */
  readonly connectSeconds: number;
  readonly gamesPerSecond: number;
  /** NUMBER → guess exchanges. */
  readonly roundTrips: number;
  readonly roundTripsPerSecond: number;
  /** Guesses per completed game. */
  readonly meanGuesses: number;
  readonly p50RoundTripMs: number;
  readonly p99RoundTripMs: number;
  readonly maxRoundTripMs: number;
  /** Failures by kind: an ERROR code, a socket error code, `timeout` or `closed`. */
  readonly errors: Readonly<Record<string, number>>;
}

/**
 * Load generator: opens `sessions` connections (at most `connectConcurrency` connecting at
 * once), then has every one play `games` games to `Correct` at the same time, judging
 * guesses with the seed's rules. Measures games/s, round trips/s, guesses per game and
 * round-trip latency (NUMBER sent → guess received). Stops by itself.
 *
 * @example
 * ```ts
 * const result = await runLoad({ port, sessions: 100, games: 20 });
 * console.log(result.roundTripsPerSecond, result.failedSessions);
 * ```
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const host = options.host ?? '127.0.0.1';
  const lower = options.lower ?? 1;
  const upper = options.upper ?? 100;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const concurrency = options.connectConcurrency ?? 256;
  for (const [name, value] of [
    ['sessions', options.sessions],
    ['games', options.games],
    ['connectConcurrency', concurrency],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < (name === 'games' ? 0 : 1)) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
  checkRange(lower, upper);
  if (options.durationMs !== undefined && !(options.durationMs >= 0)) {
    throw new RangeError(`durationMs must be a non-negative number, got ${options.durationMs}`);
  }
  const signal = options.signal;
  signal?.throwIfAborted();
  const shared = createShared({
    lower,
    upper,
    games: options.games,
    random: options.random,
  });
  const connections: LoadConnection[] = [];
  let connected = 0;
  const progress = (): LoadProgress => ({
    connected,
    games: shared.gamesDone,
    roundTrips: shared.roundTrips,
    failedSessions: shared.failed,
  });
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    for (const connection of connections) connection.fail('aborted');
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const onProgress = options.onProgress;
  const stopTimers = startRunTimers(connections, timeoutMs, onProgress, progress);
  const started = performance.now();
  try {
    let next = 0;
    const connectWorker = async (): Promise<void> => {
      while (next < options.sessions && !aborted) {
        next++;
        const connection = await openConnection(host, options.port, timeoutMs, shared);
        if (connection === undefined) continue;
        connections.push(connection);
        connected++;
        if (aborted) connection.fail('aborted');
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(concurrency, options.sessions) }, () => connectWorker()),
    );
    const connectSeconds = (performance.now() - started) / 1000;
    if (options.durationMs !== undefined) shared.stopAt = performance.now() + options.durationMs;
    await Promise.all(connections.map((connection) => connection.play()));
    if (aborted) signal?.throwIfAborted();
    const seconds = (performance.now() - started) / 1000;
    const games = shared.gamesDone;
    const latency = shared.latency;
    const result: LoadResult = {
      sessions: options.sessions,
      failedSessions: shared.failed,
      games,
      seconds,
      connectSeconds,
      gamesPerSecond: seconds > 0 ? games / seconds : 0,
      roundTrips: shared.roundTrips,
      roundTripsPerSecond: seconds > 0 ? shared.roundTrips / seconds : 0,
      meanGuesses: games > 0 ? shared.guessesInCompletedGames / games : 0,
      p50RoundTripMs: latency.percentile(50),
      p99RoundTripMs: latency.percentile(99),
      maxRoundTripMs: latency.max,
      errors: { ...shared.errors },
    };
    onProgress?.(progress());
    return result;
  } finally {
    stopTimers();
    signal?.removeEventListener('abort', onAbort);
  }
}
