import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Decision } from './codec.js';
import { decide } from './decide.js';
import { LatencyHistogram } from './histogram.js';

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** Server host; default `127.0.0.1`. */
  readonly host?: string;
  readonly port: number;
  /** Concurrent connections (all are opened before any game starts). */
  readonly sessions: number;
  /** Games each connection plays to `Correct`, one after another. */
  readonly games: number;
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

interface Shared {
  readonly lower: number;
  readonly upper: number;
  readonly games: number;
  readonly random: () => number;
  readonly latency: LatencyHistogram;
  readonly errors: Record<string, number>;
  gamesDone: number;
  guessesInCompletedGames: number;
  roundTrips: number;
  failed: number;
}

function countError(shared: Shared, kind: string): void {
  shared.errors[kind] = (shared.errors[kind] ?? 0) + 1;
}

const REPORT_AND_NUMBER: Readonly<Record<Decision, Buffer>> = {
  Warmer: Buffer.from('REPORT Warmer\nNUMBER\n'),
  Colder: Buffer.from('REPORT Colder\nNUMBER\n'),
  Unsure: Buffer.from('REPORT Unsure\nNUMBER\n'),
  Correct: Buffer.from('REPORT Correct\nNUMBER\n'),
};
const GAME_OVER = 'REPORT Correct\nPARAMS 0 -1\n';
const NEWLINE = 0x0a;
const MAX_REPLY_BYTES = 4096;

/** Reads a guess from buf[start, end): `[-]digits`, else undefined. */
function readGuess(buf: Buffer, start: number, end: number): number | undefined {
  let i = start;
  const negative = buf[i] === 0x2d;
  if (negative) i++;
  if (i === end || end - i > 15) return undefined;
  let value = 0;
  for (; i < end; i++) {
    const digit = buf[i]! - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/**
 * One connection of the load: a lean driver that reads replies straight from bytes and
 * sends each `REPORT` together with the next `NUMBER`, in one write of a prepared buffer.
 */
class LoadConnection {
  readonly #socket: Socket;
  readonly #shared: Shared;
  readonly #params: string;
  #carry: Buffer | undefined;
  #gamesLeft: number;
  #secret = 0;
  #lastDistance: number | undefined;
  #guesses = 0;
  #sentAt = 0;
  #failure: string | undefined;
  #done = false;
  #finished: (() => void) | undefined;
  /** performance.now() of the last request or reply, for the shared watchdog. */
  lastActivity = performance.now();

  constructor(socket: Socket, shared: Shared) {
    this.#socket = socket;
    this.#shared = shared;
    this.#params = `PARAMS ${shared.lower} ${shared.upper}\nNUMBER\n`;
    this.#gamesLeft = shared.games;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#failure ??= error.code ?? 'socket-error';
    });
    socket.on('close', () => {
      if (!this.#done) {
        this.#done = true;
        this.#shared.failed++;
        countError(this.#shared, this.#failure ?? 'closed');
      }
      this.#finished?.();
    });
  }

  #playing = false;

  /** True while the connection is playing its games. */
  get active(): boolean {
    return this.#playing && !this.#done && !this.#socket.destroyed;
  }

  /** Plays every game; resolves when the connection is closed (either way). */
  play(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.#finished = resolve;
    });
    if (this.#socket.destroyed) return Promise.resolve();
    this.#playing = true;
    if (this.#gamesLeft === 0) this.#complete();
    else this.#startGame('');
    return closed;
  }

  fail(kind: string): void {
    this.#failure ??= kind;
    this.#socket.destroy();
  }

  #startGame(prefix: string): void {
    const { lower, upper, random } = this.#shared;
    this.#secret = lower + Math.floor(random() * (upper - lower + 1));
    this.#lastDistance = undefined;
    this.#guesses = 0;
    this.#sentAt = performance.now();
    this.lastActivity = this.#sentAt;
    this.#socket.write(prefix + this.#params);
  }

  #complete(): void {
    this.#done = true;
    // Do not wait for the server's FIN: the seed's server never closes its side.
    this.#socket.end(() => this.#socket.destroy());
  }

  #onData(chunk: Buffer): void {
    let buf = chunk;
    if (this.#carry !== undefined) {
      buf = Buffer.concat([this.#carry, chunk]);
      this.#carry = undefined;
    }
    let start = 0;
    let newline = buf.indexOf(NEWLINE);
    while (newline !== -1 && !this.#done) {
      this.#onLine(buf, start, newline);
      start = newline + 1;
      newline = buf.indexOf(NEWLINE, start);
    }
    if (start < buf.length && !this.#done) {
      if (buf.length - start > MAX_REPLY_BYTES) this.fail('bad-reply');
      else this.#carry = Buffer.from(buf.subarray(start));
    }
  }

  #onLine(buf: Buffer, start: number, end: number): void {
    const shared = this.#shared;
    const now = performance.now();
    this.lastActivity = now;
    const guess = readGuess(buf, start, end);
    if (guess === undefined) {
      const line = buf.toString('latin1', start, end);
      this.fail(line.startsWith('ERROR ') ? (line.split(' ')[1] ?? 'error') : 'bad-reply');
      return;
    }
    shared.latency.record(now - this.#sentAt);
    shared.roundTrips++;
    this.#guesses++;
    const decision = decide(guess, this.#secret, this.#lastDistance);
    this.#lastDistance = Math.abs(guess - this.#secret);
    if (decision !== 'Correct') {
      this.#sentAt = now;
      this.#socket.write(REPORT_AND_NUMBER[decision]);
      return;
    }
    shared.gamesDone++;
    shared.guessesInCompletedGames += this.#guesses;
    this.#gamesLeft--;
    if (this.#gamesLeft > 0) {
      this.#startGame(GAME_OVER);
    } else {
      this.#socket.write(GAME_OVER);
      this.#complete();
    }
  }
}

function openConnection(
  host: string,
  port: number,
  timeoutMs: number,
  shared: Shared,
): Promise<LoadConnection | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, noDelay: true });
    const connection = new LoadConnection(socket, shared);
    const timer =
      timeoutMs > 0 ? setTimeout(() => connection.fail('timeout'), timeoutMs) : undefined;
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(undefined);
    };
    socket.once('close', onClose);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('close', onClose);
      resolve(connection);
    });
  });
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
  if (!Number.isSafeInteger(lower) || !Number.isSafeInteger(upper) || lower > upper) {
    throw new RangeError(
      `lower..upper must be integers with lower <= upper, got ${lower}..${upper}`,
    );
  }
  const signal = options.signal;
  signal?.throwIfAborted();
  const shared: Shared = {
    lower,
    upper,
    games: options.games,
    random: options.random ?? Math.random,
    latency: new LatencyHistogram(),
    errors: {},
    gamesDone: 0,
    guessesInCompletedGames: 0,
    roundTrips: 0,
    failed: 0,
  };
  const connections: LoadConnection[] = [];
  let connected = 0;
  const progress = (): LoadProgress => ({
    connected,
    games: shared.gamesDone,
    roundTrips: shared.roundTrips,
    failedSessions: shared.failed,
  });
  const onProgress = options.onProgress;
  const ticker =
    onProgress === undefined ? undefined : setInterval(() => onProgress(progress()), 250).unref();
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    for (const connection of connections) connection.fail('aborted');
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  // One watchdog for all connections instead of a timer refreshed on every read and write.
  const watchdog =
    timeoutMs > 0
      ? setInterval(
          () => {
            const deadline = performance.now() - timeoutMs;
            for (const connection of connections) {
              if (connection.active && connection.lastActivity < deadline)
                connection.fail('timeout');
            }
          },
          Math.min(1_000, Math.max(10, timeoutMs / 4)),
        ).unref()
      : undefined;
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
    if (ticker !== undefined) clearInterval(ticker);
    if (watchdog !== undefined) clearInterval(watchdog);
    signal?.removeEventListener('abort', onAbort);
  }
}
