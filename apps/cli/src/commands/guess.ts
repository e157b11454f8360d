/**
 * `fanout guess serve|play|load`: thin wiring of the guess-protocol server, client and load
 * generator to flags, stdout and signals.
 */
import {
  connectGuessClient,
  createGuessServer,
  formatClientResult,
  type LoadResult,
  type OpenLoadResult,
  playChapterGames,
  runLoad,
  runOpenLoad,
  CHAPTER_SESSIONS,
  type Strategy,
} from '@fanout/guess-protocol';
import { UsageError } from '../errors.js';
import { formatCount, roundRate, roundSeconds, table, writeJson, writeOut } from '../output.js';
import type { CommandContext } from '../program.js';
import { progressEnabled, startProgress } from '../progress.js';
import { raceAbort } from '@fanout/internal/abort';
import { whenAborted } from '../signals.js';

/** Flags of `fanout guess serve`. */
export interface ServeOptions {
  host: string;
  port: number;
  strategy: Strategy;
  quiet?: boolean;
}

/**
 * Serves until SIGINT/SIGTERM, printing the seed's `Server: N is Decision` lines. The
 * address goes to stderr (`listening on HOST:PORT`) so `--port 0` can be discovered.
 */
export async function runGuessServe(options: ServeOptions, context: CommandContext): Promise<void> {
  const quiet = options.quiet === true;
  const server = createGuessServer({
    host: options.host,
    port: options.port,
    strategy: options.strategy,
    onEvent(event) {
      if (quiet) return;
      if (event.type === 'report') {
        process.stdout.write(`${event.text}\n`);
      } else if (event.type === 'error') {
        process.stderr.write(`connection ${event.connectionId}: ${event.code}: ${event.message}\n`);
      }
    },
  });
  try {
    const address = await server.listen();
    process.stderr.write(`listening on ${address.host}:${address.port}\n`);
    await whenAborted(context.signal);
  } finally {
    // Games in progress get a short grace period; the whole stop stays well under a second.
    await server.close({ drainTimeoutMs: 300 });
  }
}

/** Flags of `fanout guess play`. */
export interface PlayOptions {
  host: string;
  port: number;
  lower?: number;
  upper?: number;
  secret?: number;
  json?: boolean;
}

function sessionsFrom(options: PlayOptions): { lower: number; upper: number; secret: number }[] {
  const { lower, upper, secret } = options;
  if (lower === undefined && upper === undefined && secret === undefined) {
    return [...CHAPTER_SESSIONS];
  }
  if (lower === undefined || upper === undefined || secret === undefined) {
    throw new UsageError('a custom session needs all of --lower, --upper and --secret');
  }
  if (lower > upper) throw new UsageError(`--lower ${lower} is greater than --upper ${upper}`);
  if (secret < lower || secret > upper) {
    throw new UsageError(`--secret ${secret} is outside ${lower}..${upper}`);
  }
  return [{ lower, upper, secret }];
}

/** Plays the seed's two sessions (or one custom session) against a running server. */
export async function runGuessPlay(options: PlayOptions, context: CommandContext): Promise<void> {
  const sessions = sessionsFrom(options);
  const json = options.json === true;
  const client = await connectGuessClient({
    host: options.host,
    port: options.port,
    signal: context.signal,
  });
  try {
    // playChapterGames takes no signal: race it, and the finally below closes the connection.
    const results = await raceAbort(
      playChapterGames(client, {
        sessions,
        // Guesses per session: the seed asks for 5; a custom range may need every number.
        ...(options.secret !== undefined
          ? { count: sessions[0]!.upper - sessions[0]!.lower + 1 }
          : {}),
        onLine: (line) => {
          if (!json) process.stdout.write(`${line}\n`);
        },
      }),
      context.signal,
    );
    if (json) {
      await writeJson({ sessions, results });
    } else {
      await writeOut(
        results.map((result) => `${formatClientResult(result.number, result.decision)}\n`).join(''),
      );
    }
  } finally {
    await client.close();
  }
}

/** Flags of `fanout guess load`. */
export interface LoadOptions {
  host: string;
  port: number;
  /** Closed loop: concurrent connections (required without `--rate`). */
  sessions?: number;
  /** Closed loop: games per connection (required without `--rate`). */
  games?: number;
  /** Open loop: new games per second. */
  rate?: number;
  /** Open loop: how long to start games, in ms. */
  duration?: number;
  /** Open loop: games in flight at most. */
  maxInFlight?: number;
  lower: number;
  upper: number;
  json?: boolean;
}

function loadJson(result: LoadResult): object {
  return {
    sessions: result.sessions,
    failedSessions: result.failedSessions,
    games: result.games,
    seconds: roundSeconds(result.seconds),
    gamesPerSecond: roundRate(result.gamesPerSecond),
    roundTripsPerSecond: roundRate(result.roundTripsPerSecond),
    meanGuesses: roundRate(result.meanGuesses),
    p99RoundTripMs: roundRate(result.p99RoundTripMs),
    p50RoundTripMs: roundRate(result.p50RoundTripMs),
    maxRoundTripMs: roundRate(result.maxRoundTripMs),
    roundTrips: result.roundTrips,
    errors: result.errors,
  };
}

function openLoadJson(result: OpenLoadResult): object {
  return {
    mode: 'open',
    rate: result.rate,
    durationSeconds: result.durationSeconds,
    scheduledGames: result.scheduled,
    games: result.games,
    failedGames: result.failedGames,
    seconds: roundSeconds(result.seconds),
    gamesPerSecond: roundRate(result.gamesPerSecond),
    roundTrips: result.roundTrips,
    meanGuesses: roundRate(result.meanGuesses),
    p50FirstReplyMs: roundRate(result.firstReply.p50),
    p90FirstReplyMs: roundRate(result.firstReply.p90),
    p99FirstReplyMs: roundRate(result.firstReply.p99),
    maxFirstReplyMs: roundRate(result.firstReply.max),
    p50GameMs: roundRate(result.game.p50),
    p99GameMs: roundRate(result.game.p99),
    maxGameMs: roundRate(result.game.max),
    p50RoundTripMs: roundRate(result.roundTrip.p50),
    p99RoundTripMs: roundRate(result.roundTrip.p99),
    maxRoundTripMs: roundRate(result.roundTrip.max),
    maxStartLagMs: roundRate(result.maxStartLagMs),
    errors: result.errors,
  };
}

function describeFailures(errors: Readonly<Record<string, number>>): string {
  const reasons = Object.entries(errors)
    .map(([reason, count]) => `${reason} x${count}`)
    .join(', ');
  return reasons ? ` (${reasons})` : '';
}

/**
 * Closed loop (`--sessions N --games G`): N concurrent sessions of G games each, reporting
 * throughput. Open loop (`--rate R --duration D`): R new games a second for D, each on a new
 * connection, reporting latencies counted from when each game was due.
 */
export async function runGuessLoad(options: LoadOptions, context: CommandContext): Promise<void> {
  if (options.lower > options.upper) {
    throw new UsageError(`--lower ${options.lower} is greater than --upper ${options.upper}`);
  }
  if (options.rate !== undefined || options.duration !== undefined) {
    await runOpenGuessLoad(options, context);
    return;
  }
  if (options.maxInFlight !== undefined) {
    throw new UsageError('--max-in-flight only applies with --rate (the open loop)');
  }
  if (options.sessions === undefined) {
    throw new UsageError("required option '--sessions <n>' not specified");
  }
  if (options.games === undefined) {
    throw new UsageError("required option '--games <n>' not specified");
  }
  const { sessions, games } = options;
  const json = options.json === true;
  const progress = startProgress('guess load', progressEnabled(json));
  const total = sessions * games;
  let result: LoadResult;
  try {
    result = await runLoad({
      host: options.host,
      port: options.port,
      sessions,
      games,
      lower: options.lower,
      upper: options.upper,
      signal: context.signal,
      onProgress: (p) => progress.update(`${p.connected} connected, games`, p.games, total),
    });
  } finally {
    progress.stop();
  }
  if (result.failedSessions === result.sessions) {
    throw new Error(
      `all ${result.sessions} sessions to ${options.host}:${options.port} failed${describeFailures(result.errors)}`,
    );
  }
  if (json) {
    await writeJson(loadJson(result));
    return;
  }
  await writeOut(
    table([
      ['sessions', `${result.sessions} (${result.failedSessions} failed)`],
      ['games', formatCount(result.games)],
      ['seconds', result.seconds.toFixed(3)],
      ['games/s', formatCount(result.gamesPerSecond)],
      ['round trips/s', formatCount(result.roundTripsPerSecond)],
      ['mean guesses', result.meanGuesses.toFixed(2)],
      ['p50 round trip', `${result.p50RoundTripMs.toFixed(2)} ms`],
      ['p99 round trip', `${result.p99RoundTripMs.toFixed(2)} ms`],
    ]),
  );
}

async function runOpenGuessLoad(options: LoadOptions, context: CommandContext): Promise<void> {
  const { rate, duration } = options;
  if (rate === undefined) throw new UsageError('--duration needs --rate (the open loop)');
  if (duration === undefined) throw new UsageError('--rate needs --duration, e.g. --duration 10s');
  const json = options.json === true;
  const progress = startProgress('guess load', progressEnabled(json));
  const scheduled = Math.max(1, Math.round((rate * duration) / 1000));
  let result: OpenLoadResult;
  try {
    result = await runOpenLoad({
      host: options.host,
      port: options.port,
      rate,
      durationMs: duration,
      lower: options.lower,
      upper: options.upper,
      ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
      signal: context.signal,
      onProgress: (p) => progress.update(`${p.inFlight} in flight, games`, p.games, scheduled),
    });
  } finally {
    progress.stop();
  }
  if (result.games === 0) {
    throw new Error(
      `all ${result.scheduled} games to ${options.host}:${options.port} failed${describeFailures(result.errors)}`,
    );
  }
  if (json) {
    await writeJson(openLoadJson(result));
    return;
  }
  const ms = (value: number): string => `${value.toFixed(2)} ms`;
  await writeOut(
    table([
      ['rate', `${result.rate} games/s for ${result.durationSeconds} s (open loop)`],
      [
        'games',
        `${formatCount(result.games)} of ${formatCount(result.scheduled)} (${result.failedGames} failed)`,
      ],
      ['seconds', result.seconds.toFixed(3)],
      ['games/s', formatCount(result.gamesPerSecond)],
      ['mean guesses', result.meanGuesses.toFixed(2)],
      [
        'first reply p50/p99/max',
        `${ms(result.firstReply.p50)} / ${ms(result.firstReply.p99)} / ${ms(result.firstReply.max)}`,
      ],
      ['game p50/p99', `${ms(result.game.p50)} / ${ms(result.game.p99)}`],
      ['round trip p50/p99', `${ms(result.roundTrip.p50)} / ${ms(result.roundTrip.p99)}`],
      ['generator lag max', ms(result.maxStartLagMs)],
    ]),
  );
}
