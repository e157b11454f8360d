import type { Socket } from 'node:net';
import { type Decision, formatCommand, parseReply } from '../codec.js';
import { decide } from '../decide.js';
import {
  ConnectionClosedError,
  WireErrorCode,
  FATAL_WIRE_ERROR_CODES,
  GuessTimeoutError,
  ProtocolError,
} from '../errors.js';

/** One game opened by {@link GuessClient.session}; disposing it ends the game like the seed. */
export interface GuessGame extends AsyncDisposable {
  readonly lower: number;
  readonly upper: number;
  readonly secret: number;
  /** Same as {@link GuessClient.requestNumbers}. */
  requestNumbers(count: number): AsyncGenerator<number, void, undefined>;
  /** Same as {@link GuessClient.reportOutcome}. */
  reportOutcome(number: number): Decision;
  /** Ends the game: forgets the secret and sends `PARAMS 0 -1`. Idempotent. */
  close(): Promise<void>;
}

interface Pending {
  resolve(value: number): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout | undefined;
}

const CLOSE_GRACE_MS = 1_000;

/**
 * The seed's client over one TCP connection: open a game with {@link session}, ask for
 * guesses with {@link requestNumbers}, judge each with {@link reportOutcome}.
 * Server `ERROR` lines reject the pending call with a {@link ProtocolError}; a dropped
 * connection rejects every pending call with a {@link ConnectionClosedError}.
 */
export class GuessClient implements AsyncDisposable {
  readonly #socket: Socket;
  readonly #timeoutMs: number;
  readonly #pending: Pending[] = [];
  #carry = '';
  #secret: number | undefined;
  #lastDistance: number | undefined;
  #strayError: ProtocolError | undefined;
  /** Why we are closing (timeout, fatal ERROR line, bad reply, abort reason). */
  #failure: unknown;
  #socketError: Error | undefined;
  #closed = false;
  #closedPromise: Promise<void>;
  #activeGame: object | undefined;

  /** Use {@link connectGuessClient}. */
  constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => this.#onData(text));
    socket.on('error', (error) => {
      this.#socketError ??= error;
    });
    this.#closedPromise = new Promise((resolve) => {
      socket.once('close', () => {
        this.#closed = true;
        const error =
          this.#failure ??
          new ConnectionClosedError(
            'guess connection closed',
            this.#socketError === undefined ? undefined : { cause: this.#socketError },
          );
        for (const pending of this.#pending.splice(0)) {
          if (pending.timer !== undefined) clearTimeout(pending.timer);
          pending.reject(error);
        }
        resolve();
      });
    });
  }

  /** True once the connection is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Opens a game: remembers the secret and sends `PARAMS lower upper`. Use with
   * `await using`; disposing sends `PARAMS 0 -1`, as the seed's client does.
   *
   * @example
   * ```ts
   * await using game = client.session(1, 5, 3);
   * for await (const n of game.requestNumbers(5)) game.reportOutcome(n);
   * ```
   */
  session(lower: number, upper: number, secret: number): GuessGame {
    for (const [name, value] of [
      ['lower', lower],
      ['upper', upper],
      ['secret', secret],
    ] as const) {
      if (!Number.isSafeInteger(value))
        throw new RangeError(`${name} must be an integer, got ${value}`);
    }
    if (this.#activeGame !== undefined) throw new Error('a session is already open on this client');
    this.#send(formatCommand({ type: 'params', lower, upper }));
    this.#secret = secret;
    this.#lastDistance = undefined;
    const token = {};
    this.#activeGame = token;
    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      if (this.#activeGame !== token) return;
      this.#activeGame = undefined;
      this.#secret = undefined;
      this.#lastDistance = undefined;
      if (!this.#closed && !this.#socket.writableEnded) {
        this.#send(formatCommand({ type: 'params', lower: 0, upper: -1 }));
      }
    };
    return {
      lower,
      upper,
      secret,
      requestNumbers: (count) => this.requestNumbers(count),
      reportOutcome: (number) => this.reportOutcome(number),
      close,
      [Symbol.asyncDispose]: close,
    };
  }

  /** Sends NUMBER and resolves with the server's guess. */
  requestNumber(): Promise<number> {
    if (this.#closed || this.#socket.writableEnded) {
      return Promise.reject(
        new ConnectionClosedError('guess connection is closed', {
          cause: this.#failure ?? this.#socketError,
        }),
      );
    }
    if (this.#strayError !== undefined) {
      const error = this.#strayError;
      this.#strayError = undefined;
      return Promise.reject(error);
    }
    return new Promise<number>((resolve, reject) => {
      const pending: Pending = { resolve, reject, timer: undefined };
      if (this.#timeoutMs > 0) {
        pending.timer = setTimeout(() => {
          const error = new GuessTimeoutError('waiting for a guess', this.#timeoutMs);
          this.#failure ??= error;
          // The reply may still come and would be taken for the next one: drop the connection.
          this.#socket.destroy();
        }, this.#timeoutMs);
      }
      this.#pending.push(pending);
      this.#send('NUMBER');
    });
  }

  /**
   * Asks for up to `count` guesses, yielding each; stops after the guess that was reported
   * `Correct` (report each guess with {@link reportOutcome} before asking for the next).
   */
  async *requestNumbers(count: number): AsyncGenerator<number, void, undefined> {
    for (let i = 0; i < count; i++) {
      yield await this.requestNumber();
      if (this.#lastDistance === 0) return;
    }
  }

  /**
   * Judges `number` with the seed's rules ({@link decide}) against the open session's
   * secret, sends `REPORT <decision>` and returns the decision.
   *
   * @throws {ProtocolError} `no-game` when no session is open.
   * @throws {ConnectionClosedError} when the connection is closed.
   */
  reportOutcome(number: number): Decision {
    const secret = this.#secret;
    if (secret === undefined) {
      throw new ProtocolError(WireErrorCode.NoGame, 'reportOutcome needs an open session');
    }
    if (this.#closed || this.#socket.writableEnded) {
      throw new ConnectionClosedError('guess connection is closed', {
        cause: this.#failure ?? this.#socketError,
      });
    }
    const decision = decide(number, secret, this.#lastDistance);
    this.#lastDistance = Math.abs(number - secret);
    this.#send(formatCommand({ type: 'report', decision }));
    return decision;
  }

  /** Closes the connection (after sending what is queued). Idempotent. */
  close(): Promise<void> {
    if (!this.#closed && !this.#socket.writableEnded) {
      this.#socket.end();
      // The seed's server never closes its side: do not wait for its FIN for long.
      setTimeout(() => this.#socket.destroy(), CLOSE_GRACE_MS).unref();
    }
    return this.#closedPromise;
  }

  /** Destroys the connection at once; pending calls reject with `reason`. */
  abort(reason: unknown): void {
    this.#failure ??= reason;
    this.#socket.destroy();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #send(line: string): void {
    this.#socket.write(`${line}\n`);
  }

  #onData(text: string): void {
    let data = this.#carry + text;
    let newline = data.indexOf('\n');
    while (newline !== -1) {
      this.#onLine(data.slice(0, newline));
      data = data.slice(newline + 1);
      newline = data.indexOf('\n');
    }
    this.#carry = data;
    if (this.#carry.length > 4096) {
      this.#failure ??= new ProtocolError(
        WireErrorCode.BadReply,
        'reply line longer than 4096 bytes',
      );
      this.#socket.destroy();
    }
  }

  #onLine(line: string): void {
    let reply: ReturnType<typeof parseReply>;
    try {
      reply = parseReply(line);
    } catch (error) {
      this.#failure ??= error;
      this.#socket.destroy();
      return;
    }
    const pending = this.#pending.shift();
    if (pending?.timer !== undefined) clearTimeout(pending.timer);
    if (reply.type === 'number') {
      if (pending === undefined) {
        this.#failure ??= new ProtocolError(WireErrorCode.BadReply, `unexpected reply "${line}"`);
        this.#socket.destroy();
        return;
      }
      pending.resolve(reply.value);
      return;
    }
    const error = new ProtocolError(reply.code, reply.message, { line });
    if (FATAL_WIRE_ERROR_CODES.has(reply.code)) this.#failure ??= error;
    if (pending !== undefined) pending.reject(error);
    else this.#strayError = error;
  }
}
