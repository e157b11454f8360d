import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { formatReply } from '../codec.js';
import { GuessConnection, type ConnectionContext } from './connection.js';
import { WireErrorCode } from '../errors.js';
import { DEFAULT_MAX_RANGE, GuessSession } from '../session.js';
import type { Strategy } from '../strategies.js';
import type { CloseReason, GuessServerEventListener } from './events.js';
import { InputScheduler } from './input-scheduler.js';

/** Options of {@link createGuessServer}. */
export interface GuessServerOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** TCP port; default 0 (the OS picks one; read it from `listen()`). */
  readonly port?: number;
  /** `random` (the seed's, default) or `bisect`. */
  readonly strategy?: Strategy;
  /** Random source in [0, 1) for `random`; default `Math.random`. */
  readonly random?: () => number;
  /** Most numbers one game may span; default 2^32. */
  readonly maxRange?: number;
  /** Live connections allowed; more get `ERROR server-busy` and are closed. Default 20,000. */
  readonly maxConnections?: number;
  /**
   * Close a connection silent for this long (ms) with `ERROR idle-timeout`; 0 disables.
   * Default 60,000. Checked by one sweep over all connections every quarter of this (at
   * most every second), so the close comes up to that much later.
   */
  readonly idleTimeoutMs?: number;
  /** Longest line accepted, in bytes without `\n`; longer gets `ERROR line-too-long` and a close. Default 1024. */
  readonly maxLineBytes?: number;
  /** Errors in a row after which the connection is closed with `ERROR too-many-errors`. Default 10. */
  readonly maxConsecutiveErrors?: number;
  /** Listen backlog; default 4096 (the kernel may cap it). */
  readonly backlog?: number;
  /** Receives every {@link GuessServerEvent}, synchronously. Must not throw. */
  readonly onEvent?: GuessServerEventListener;
}

/** Options of {@link GuessServer.close}. */
export interface GuessServerCloseOptions {
  /** How long games in progress may run on before their connections are cut; default 5,000 ms. */
  readonly drainTimeoutMs?: number;
}

/** The address a server listens on. */
export interface GuessServerAddress {
  readonly host: string;
  readonly port: number;
}

/** A running guess server. See {@link createGuessServer}. */
export interface GuessServer extends AsyncDisposable {
  /** Starts listening; resolves with the bound address. Call once. */
  listen(): Promise<GuessServerAddress>;
  /** The bound address once listening, else undefined. */
  readonly address: GuessServerAddress | undefined;
  /** Live connections. */
  readonly connections: number;
  /**
   * Graceful close: stops accepting, closes idle connections at once, lets games in
   * progress finish (their connection closes after the `Correct` report) for up to
   * `drainTimeoutMs`, then cuts the rest. Idempotent: later calls return the same promise.
   */
  close(options?: GuessServerCloseOptions): Promise<void>;
}

function positiveInteger(name: string, value: number, allowZero = false): number {
  if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new RangeError(
      `${name} must be ${allowZero ? 'a non-negative' : 'a positive'} integer, got ${value}`,
    );
  }
  return value;
}

class TcpGuessServer implements GuessServer {
  readonly #host: string;
  readonly #port: number;
  readonly #backlog: number;
  readonly #maxConnections: number;
  readonly #onEvent: GuessServerEventListener | undefined;
  readonly #context: ConnectionContext;
  readonly #server: Server;
  readonly #scheduler = new InputScheduler();
  readonly #live = new Set<GuessConnection>();
  #nextId = 1;
  #address: GuessServerAddress | undefined;
  #listening: Promise<GuessServerAddress> | undefined;
  #closing: Promise<void> | undefined;
  #allClosed: (() => void) | undefined;
  #idleSweep: NodeJS.Timeout | undefined;

  constructor(options: GuessServerOptions) {
    this.#host = options.host ?? '127.0.0.1';
    this.#port = positiveInteger('port', options.port ?? 0, true);
    this.#backlog = positiveInteger('backlog', options.backlog ?? 4096);
    this.#maxConnections = positiveInteger('maxConnections', options.maxConnections ?? 20_000);
    this.#onEvent = options.onEvent;
    const live = this.#live;
    const onEvent = this.#onEvent;
    const server = this;
    this.#context = {
      session: {
        strategy: options.strategy ?? 'random',
        random: options.random ?? Math.random,
        maxRange: options.maxRange ?? DEFAULT_MAX_RANGE,
      },
      idleTimeoutMs: positiveInteger('idleTimeoutMs', options.idleTimeoutMs ?? 60_000, true),
      maxLineBytes: positiveInteger('maxLineBytes', options.maxLineBytes ?? 1024),
      maxConsecutiveErrors: positiveInteger(
        'maxConsecutiveErrors',
        options.maxConsecutiveErrors ?? 10,
      ),
      onEvent,
      scheduler: this.#scheduler,
      connectionClosed(connection: GuessConnection, reason: CloseReason): void {
        if (!live.delete(connection)) return;
        onEvent?.({
          type: 'connection-close',
          connectionId: connection.id,
          reason,
          connections: live.size,
          durationMs: connection.ageMs,
        });
        if (live.size === 0) server.#allClosed?.();
      },
    };
    // Fail fast on bad session options (strategy, maxRange) rather than on the first connection.
    new GuessSession(this.#context.session);
    this.#server = createServer({ noDelay: true }, (socket) => this.#accept(socket));
  }

  get address(): GuessServerAddress | undefined {
    return this.#address;
  }

  get connections(): number {
    return this.#live.size;
  }

  listen(): Promise<GuessServerAddress> {
    if (this.#closing !== undefined) return Promise.reject(new Error('guess server is closed'));
    this.#listening ??= new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.#server.once('error', onError);
      this.#server.listen({ host: this.#host, port: this.#port, backlog: this.#backlog }, () => {
        this.#server.off('error', onError);
        // After listening, errors come from accept() (EMFILE...): report, keep serving.
        this.#server.on('error', (error) => this.#onEvent?.({ type: 'accept-error', error }));
        const bound = this.#server.address();
        const port = typeof bound === 'object' && bound !== null ? bound.port : this.#port;
        this.#address = { host: this.#host, port };
        this.#startIdleSweep();
        this.#onEvent?.({ type: 'listening', host: this.#host, port });
        resolve(this.#address);
      });
    });
    return this.#listening;
  }

  /**
   * One timer for every connection's idle timeout, instead of socket.setTimeout, which
   * re-arms a timer on each read and write. Sweeping every quarter of the timeout (at most
   * every second) closes an idle connection between idleTimeoutMs and idleTimeoutMs plus
   * that period after its last traffic.
   */
  #startIdleSweep(): void {
    const idle = this.#context.idleTimeoutMs;
    // close() may have run while listen() was pending: then there is nothing to sweep.
    if (idle <= 0 || this.#closing !== undefined) return;
    const period = Math.min(1_000, Math.max(5, Math.floor(idle / 4)));
    this.#idleSweep = setInterval(() => {
      const now = performance.now();
      for (const connection of this.#live) connection.checkIdle(now);
    }, period).unref();
  }

  #accept(socket: Socket): void {
    this.#scheduler.noteArrival();
    if (this.#closing !== undefined) {
      this.#onEvent?.({
        type: 'connection-rejected',
        remoteAddress: socket.remoteAddress ?? '',
        reason: 'closing',
      });
      socket.destroy();
      return;
    }
    if (this.#live.size >= this.#maxConnections) {
      const remoteAddress = socket.remoteAddress ?? '';
      socket.on('error', () => {});
      // Release the descriptor as soon as the line is handed to the kernel (it still sends
      // it, then FIN): a flood at the limit must not pile up lingering sockets.
      const timer = setTimeout(() => socket.destroy(), 2_000).unref();
      socket.end(
        `${formatReply({ type: 'error', code: WireErrorCode.ServerBusy, message: `server at its limit of ${this.#maxConnections} connections` })}\n`,
        () => {
          clearTimeout(timer);
          socket.destroy();
        },
      );
      this.#onEvent?.({ type: 'connection-rejected', remoteAddress, reason: 'max-connections' });
      return;
    }
    const connection = new GuessConnection(this.#nextId++, socket, this.#context);
    this.#live.add(connection);
    this.#onEvent?.({
      type: 'connection-open',
      connectionId: connection.id,
      remoteAddress: socket.remoteAddress ?? '',
      connections: this.#live.size,
    });
  }

  close(options: GuessServerCloseOptions = {}): Promise<void> {
    this.#closing ??= this.#close(
      positiveInteger('drainTimeoutMs', options.drainTimeoutMs ?? 5_000, true),
    );
    return this.#closing;
  }

  async #close(drainTimeoutMs: number): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      if (!this.#server.listening) resolve();
      else this.#server.close(() => resolve());
    });
    const drained = new Promise<void>((resolve) => {
      this.#allClosed = resolve;
      if (this.#live.size === 0) resolve();
    });
    for (const connection of [...this.#live]) connection.drain();
    const timer = setTimeout(() => {
      for (const connection of [...this.#live]) connection.destroy('server-close');
    }, drainTimeoutMs);
    try {
      await Promise.all([stopped, drained]);
    } finally {
      clearTimeout(timer);
      clearInterval(this.#idleSweep);
    }
    this.#address = undefined;
    this.#onEvent?.({ type: 'closed' });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Creates the guessing server (not yet listening). Wire-compatible with the seed's client;
 * hardened: bounded lines, idle timeout, connection limit, error budget, backpressure.
 *
 * @example
 * ```ts
 * await using server = createGuessServer({
 *   port: 1234,
 *   onEvent: (event) => { if (event.type === 'report') console.log(event.text); },
 * });
 * const { port } = await server.listen();
 * ```
 */
export function createGuessServer(options: GuessServerOptions = {}): GuessServer {
  return new TcpGuessServer(options);
}
