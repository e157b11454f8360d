import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Decision } from '../codec.js';
import { decide } from '../decide.js';
import type { LatencyHistogram } from './histogram.js';

/** State shared by every connection of one load run. */
export interface Shared {
  readonly lower: number;
  readonly upper: number;
  readonly games: number;
  /** performance.now() after which no connection starts another game (a timed run). */
  stopAt?: number;
  readonly random: () => number;
  readonly latency: LatencyHistogram;
  /** Open loop: scheduled start → first guess received, per connection. */
  readonly firstReply?: LatencyHistogram;
  /** Open loop: scheduled start → `Correct`, per game. */
  readonly gameLatency?: LatencyHistogram;
  /**
   * Where every connection of the run reads into (`onread`): replies are handled
   * synchronously as they arrive, and a partial line is copied out, so one buffer serves all.
   */
  readonly readBuffer: Buffer;
  readonly errors: Record<string, number>;
  gamesDone: number;
  guessesInCompletedGames: number;
  roundTrips: number;
  failed: number;
}

/** Counts one failure of `kind`. */
export function countError(shared: Shared, kind: string): void {
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
 * One connection of the load: a lean driver, one state machine per connection with no
 * promise or event hop per line. It reads replies straight from bytes (`onread` into a
 * shared buffer: no Buffer allocation and no stream `'data'` machinery per read) and sends
 * each `REPORT` together with the next `NUMBER`, in one write of a prepared buffer.
 */
export class LoadConnection {
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
  /**
   * Open loop: when this connection's game was due to start. Its first-reply and game
   * latencies count from here, not from when the generator got round to it, so delays are
   * not hidden (no coordinated omission).
   */
  scheduledAt: number | undefined;

  constructor(host: string, port: number, shared: Shared) {
    this.#shared = shared;
    this.#params = `PARAMS ${shared.lower} ${shared.upper}\nNUMBER\n`;
    this.#gamesLeft = shared.games;
    const socket = connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: shared.readBuffer,
        callback: (bytes: number, buf: Uint8Array): boolean => {
          this.#onData(buf as Buffer, bytes);
          return true;
        },
      },
    });
    this.#socket = socket;
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

  /** The connection's socket. */
  get socket(): Socket {
    return this.#socket;
  }

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

  /** Handles buf[0, length); buf is the shared read buffer, overwritten by the next read. */
  #onData(chunk: Buffer, length: number): void {
    let buf = chunk;
    let end = length;
    if (this.#carry !== undefined) {
      buf = Buffer.concat([this.#carry, chunk.subarray(0, length)]);
      end = buf.length;
      this.#carry = undefined;
    }
    let start = 0;
    // A plain scan, bounded by `end`: replies are a few bytes, and past `end` the shared
    // buffer holds stale bytes of earlier reads.
    for (let i = 0; i < end && !this.#done; i++) {
      if (buf[i] !== NEWLINE) continue;
      this.#onLine(buf, start, i);
      start = i + 1;
    }
    if (start < end && !this.#done) {
      if (end - start > MAX_REPLY_BYTES) this.fail('bad-reply');
      // Copy: the shared buffer is reused by the next read on any connection.
      else this.#carry = Buffer.from(buf.subarray(start, end));
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
    if (this.#guesses === 0 && this.scheduledAt !== undefined) {
      shared.firstReply?.record(now - this.scheduledAt);
    }
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
    if (this.scheduledAt !== undefined) shared.gameLatency?.record(now - this.scheduledAt);
    this.#gamesLeft--;
    if (this.#gamesLeft > 0 && (shared.stopAt === undefined || now < shared.stopAt)) {
      this.#startGame(GAME_OVER);
    } else {
      this.#socket.write(GAME_OVER);
      this.#complete();
    }
  }
}

/**
 * Connects one load connection; resolves undefined when connecting failed (counted).
 * `created` sees the connection as soon as it exists, before it is connected.
 */
export function openConnection(
  host: string,
  port: number,
  timeoutMs: number,
  shared: Shared,
  created?: (connection: LoadConnection) => void,
): Promise<LoadConnection | undefined> {
  return new Promise((resolve) => {
    const connection = new LoadConnection(host, port, shared);
    created?.(connection);
    const socket = connection.socket;
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
