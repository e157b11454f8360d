import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { formatReply, parseCommandBytes } from '../codec.js';
import { formatServerReport } from '../decide.js';
import { type WireErrorCode, WireErrorCode as Codes, ProtocolError } from '../errors.js';
import { GuessSession, type GuessSessionOptions } from '../session.js';
import type { CloseReason, GuessServerEventListener } from './events.js';
import type { InputQueue, InputTask } from './input-scheduler.js';

/** How long a connection we are closing may take to flush before it is destroyed. */
const LINGER_MS = 2_000;
/** Input queued but not yet handled past which we stop reading from the socket. */
const MAX_QUEUED_INPUT_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** What a connection needs from its server. */
export interface ConnectionContext {
  readonly session: GuessSessionOptions;
  readonly idleTimeoutMs: number;
  readonly maxLineBytes: number;
  readonly maxConsecutiveErrors: number;
  readonly onEvent: GuessServerEventListener | undefined;
  /** Runs the connections' input at once or in fair slices (the server's `InputScheduler`). */
  readonly scheduler: InputQueue;
  connectionClosed(connection: GuessConnection, reason: CloseReason): void;
}

/**
 * One client connection: splits the byte stream into lines itself (no readline, no string
 * split), runs each through the session and answers what arrived with one write. The
 * server's `InputScheduler` decides when: at once while it can, else soon after in a
 * slice, fresh connections first, so a poll over 10,000 busy sockets stays quick and the
 * listener is never starved. Reading pauses while the socket's write buffer is full, or
 * while too much input waits, so a client that never reads cannot make the server buffer
 * without bound.
 */
export class GuessConnection implements InputTask {
  readonly id: number;
  readonly #socket: Socket;
  readonly #context: ConnectionContext;
  readonly #session: GuessSession;
  readonly #openedAt = performance.now();
  #carry: Buffer | undefined;
  /** When the partial line in #carry began: a line must complete within idleTimeoutMs. */
  #carrySince = 0;
  /** Chunks read but not yet handled, and when the first of them arrived. */
  readonly #input: Buffer[] = [];
  #inputBytes = 0;
  #inputSince = 0;
  #queued = false;
  /** No reply written yet: the scheduler runs this connection's input first. */
  #fresh = true;
  #pausedForOutput = false;
  #pausedForInput = false;
  /** The socket failed (reset by the peer, broken pipe). */
  #peerError = false;
  #consecutiveErrors = 0;
  /** Set once we decided to close: no more lines are processed. */
  #closeReason: CloseReason | undefined;
  #draining = false;
  #gameStartedAt = 0;
  #guessSentAt = 0;
  #lingerTimer: NodeJS.Timeout | undefined;
  /** performance.now() of the last chunk received or write buffer drained. */
  #lastActivity = this.#openedAt;

  constructor(id: number, socket: Socket, context: ConnectionContext) {
    this.id = id;
    this.#socket = socket;
    this.#context = context;
    this.#session = new GuessSession(context.session);
    socket.setNoDelay(true);
    // No socket.setTimeout: it re-arms a timer on every read and write. The server sweeps
    // all connections now and then instead (see checkIdle).
    socket.on('data', this.#onData);
    // Before Node's own 'end' handler, which forbids further writes: input that came with
    // the client's FIN is answered first, as it was when it arrived.
    socket.prependListener('end', this.#onEnd);
    socket.on('drain', this.#onDrain);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
  }

  /** Milliseconds since the connection opened. */
  get ageMs(): number {
    return performance.now() - this.#openedAt;
  }

  /** True while a game is under way (opened by PARAMS, no Correct yet). */
  get gameInProgress(): boolean {
    return this.#session.inGame && this.#session.secret === undefined;
  }

  /** Close as soon as no game is in progress (now, if none is). */
  drain(): void {
    this.#draining = true;
    if (!this.gameInProgress) this.#end('server-close');
  }

  /** Close at once, dropping anything unsent. */
  destroy(reason: CloseReason): void {
    this.#closeReason ??= reason;
    this.#socket.destroy();
  }

  /**
   * Called by the server's idle sweep: closes the connection with `ERROR idle-timeout` when
   * nothing arrived for `idleTimeoutMs`, or when a partial line is older than that (slowloris:
   * a byte now and then keeps a connection active but never completes a line). A connection
   * already closing is left to its linger timer.
   */
  checkIdle(now: number): void {
    const idle = this.#context.idleTimeoutMs;
    if (idle <= 0 || this.#closeReason !== undefined || this.#socket.destroyed) return;
    if (this.#carry !== undefined && now - this.#carrySince > idle) {
      this.#finish(
        this.#fatal(Codes.IdleTimeout, `line not completed within ${idle} ms`, 'idle-timeout'),
      );
    } else if (now - this.#lastActivity >= idle) {
      this.#finish(this.#fatal(Codes.IdleTimeout, `no traffic for ${idle} ms`, 'idle-timeout'));
    }
  }

  #onData = (chunk: Buffer): void => {
    if (this.#closeReason !== undefined) return;
    const now = performance.now();
    this.#lastActivity = now;
    if (this.#input.length === 0) this.#inputSince = now;
    this.#input.push(chunk);
    this.#inputBytes += chunk.length;
    if (!this.#queued) {
      this.#queued = true;
      this.#context.scheduler.schedule(this, this.#fresh);
    }
    if (this.#inputBytes > MAX_QUEUED_INPUT_BYTES && !this.#pausedForInput) {
      this.#pausedForInput = true;
      this.#socket.pause();
    }
  };

  /** Handles the input queued since the last run (called by the scheduler). */
  run(): void {
    this.#queued = false;
    const input = this.#input;
    if (input.length === 0) return;
    let buf = input.length === 1 ? input[0]! : Buffer.concat(input);
    input.length = 0; // the one array is reused: no allocation per read
    this.#inputBytes = 0;
    if (this.#closeReason !== undefined) return;
    const receivedAt = this.#inputSince;
    const maxLineBytes = this.#context.maxLineBytes;
    let carrySince = 0;
    if (this.#carry !== undefined) {
      // Slowloris: a byte now and then resets the idle timer, so bound the line's age too.
      const idle = this.#context.idleTimeoutMs;
      if (idle > 0 && receivedAt - this.#carrySince > idle) {
        this.#carry = undefined;
        this.#finish(
          this.#fatal(Codes.IdleTimeout, `line not completed within ${idle} ms`, 'idle-timeout'),
        );
        return;
      }
      buf = Buffer.concat([this.#carry, buf]);
      this.#carry = undefined;
      carrySince = this.#carrySince;
    }
    let out = '';
    let start = 0;
    while (this.#closeReason === undefined) {
      const newline = buf.indexOf(NEWLINE, start);
      const lineEnd = newline === -1 ? buf.length : newline;
      let contentEnd = lineEnd;
      if (newline !== -1 && contentEnd > start && buf[contentEnd - 1] === 0x0d) contentEnd--;
      if (contentEnd - start > maxLineBytes) {
        out += this.#fatal(
          Codes.LineTooLong,
          `line longer than ${maxLineBytes} bytes`,
          'line-too-long',
        );
        break;
      }
      if (newline === -1) {
        // Copy the partial line so the (possibly large) chunk can be freed.
        if (start < buf.length) {
          this.#carry = Buffer.from(buf.subarray(start));
          // A line continued from before keeps its start time; a new one starts now.
          this.#carrySince = start === 0 && carrySince !== 0 ? carrySince : receivedAt;
        }
        break;
      }
      out += this.#line(buf, start, contentEnd, receivedAt);
      start = newline + 1;
    }
    if (out !== '') this.#fresh = false;
    if (this.#closeReason !== undefined) {
      this.#finish(out);
      return;
    }
    // Closed under us (a reset): the lines still count (events, metrics), the replies cannot.
    if (this.#socket.destroyed) return;
    if (out !== '' && !this.#socket.write(out) && !this.#pausedForOutput) {
      this.#pausedForOutput = true;
      this.#socket.pause();
      this.#context.onEvent?.({ type: 'backpressure', connectionId: this.id, paused: true });
    }
    if (this.#pausedForInput) {
      this.#pausedForInput = false;
      if (!this.#pausedForOutput) this.#socket.resume();
    }
  }

  /** Handles one line (received at `receivedAt`); returns the reply text (with `\n`), possibly empty. */
  #line(buf: Buffer, start: number, end: number, receivedAt: number): string {
    const session = this.#session;
    const onEvent = this.#context.onEvent;
    try {
      const command = parseCommandBytes(buf, start, end);
      const hadSecret = session.secret !== undefined;
      const guess = session.apply(command);
      this.#consecutiveErrors = 0;
      if (command.type === 'number') {
        if (onEvent !== undefined) {
          this.#guessSentAt = performance.now();
          onEvent({ type: 'number', connectionId: this.id, number: guess! });
        }
        return `${guess}\n`;
      }
      if (command.type === 'report') {
        const correctNow = command.decision === 'Correct' && !hadSecret;
        if (onEvent !== undefined) {
          const now = receivedAt;
          const number = session.lastGuess!;
          onEvent({
            type: 'report',
            connectionId: this.id,
            number,
            decision: command.decision,
            text: formatServerReport(number, command.decision),
            roundTripMs: now - this.#guessSentAt,
          });
          if (correctNow) {
            onEvent({
              type: 'game-completed',
              connectionId: this.id,
              guesses: session.guessCount,
              durationMs: now - this.#gameStartedAt,
            });
          }
        }
        if (correctNow && this.#draining) this.#closeReason = 'server-close';
        return '';
      }
      if (session.inGame) {
        if (onEvent !== undefined) {
          this.#gameStartedAt = receivedAt;
          onEvent({
            type: 'session-start',
            connectionId: this.id,
            lower: command.lower,
            upper: command.upper,
          });
        }
      } else if (this.#draining) {
        this.#closeReason = 'server-close';
      }
      return '';
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.#consecutiveErrors++;
      this.#emitError(error.reason, error.message, false);
      let reply = `${formatReply({ type: 'error', code: error.reason, message: error.message })}\n`;
      if (this.#consecutiveErrors >= this.#context.maxConsecutiveErrors) {
        reply += this.#fatal(
          Codes.TooManyErrors,
          `${this.#consecutiveErrors} errors in a row, closing`,
          'too-many-errors',
        );
      }
      return reply;
    }
  }

  /** Marks the connection closing and returns the last ERROR line. */
  #fatal(code: WireErrorCode, message: string, reason: CloseReason): string {
    this.#closeReason = reason;
    this.#emitError(code, message, true);
    return `${formatReply({ type: 'error', code, message })}\n`;
  }

  #emitError(code: WireErrorCode, message: string, fatal: boolean): void {
    this.#context.onEvent?.({ type: 'error', connectionId: this.id, code, message, fatal });
  }

  /** Sends `out` (if any), half-closes, and destroys the socket if it does not flush soon. */
  #finish(out: string): void {
    this.#carry = undefined;
    this.#input.length = 0;
    this.#inputBytes = 0;
    if (this.#socket.destroyed) return;
    if (out === '') this.#socket.end();
    else this.#socket.end(out);
    this.#lingerTimer ??= setTimeout(() => this.#socket.destroy(), LINGER_MS).unref();
  }

  #end(reason: CloseReason): void {
    if (this.#closeReason !== undefined) return;
    this.#closeReason = reason;
    this.#finish('');
  }

  #onDrain = (): void => {
    this.#lastActivity = performance.now();
    if (this.#closeReason !== undefined || !this.#pausedForOutput) return;
    this.#pausedForOutput = false;
    if (!this.#pausedForInput) this.#socket.resume();
    this.#context.onEvent?.({ type: 'backpressure', connectionId: this.id, paused: false });
  };

  #onEnd = (): void => {
    if (this.#input.length > 0) this.run();
  };

  #onError = (): void => {
    // ECONNRESET and friends: the 'close' event that follows reports the connection. Not a
    // close reason of ours: input that arrived before the reset is still handled.
    this.#peerError = true;
  };

  #onClose = (): void => {
    if (this.#lingerTimer !== undefined) clearTimeout(this.#lingerTimer);
    // Input read but not yet handled still happened: handle it (no replies) before closing.
    if (this.#input.length > 0) this.run();
    this.#carry = undefined;
    this.#context.connectionClosed(this, this.#closeReason ?? (this.#peerError ? 'error' : 'end'));
  };
}
