/**
 * Bounds how long a caller waits on a Redis that does not answer. ioredis queues commands
 * and reconnects forever (BullMQ needs `maxRetriesPerRequest: null`), so a stopped Redis
 * would leave every promise pending; the guard pings while work is outstanding and, when
 * no answer came for `timeoutMs`, reports the loss once so the caller can reject it all.
 * A ping covers a refused connection and a silent one (a dropped network) alike.
 */
import type { Redis } from 'ioredis';
import { QueueConnectionError } from './errors.js';

/** Options of `ConnectionGuard`. */
export interface ConnectionGuardOptions {
  /** The connection to ping. */
  readonly client: Redis;
  /** Connections whose errors are remembered as the loss' cause. */
  readonly watched: readonly Redis[];
  /** `host:port`, for the error. */
  readonly address: string;
  /** Most milliseconds without an answer. */
  readonly timeoutMs: number;
  /** Called with the error when the loss is declared (once per outage). */
  readonly onLost: (error: QueueConnectionError) => void;
}

export class ConnectionGuard {
  readonly #options: ConnectionGuardOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastAnswer = 0;
  #pinging = false;
  #lost = false;
  #lastError: unknown;
  #wanted = false;
  readonly #onError = (error: unknown): void => {
    this.#lastError = error;
  };

  constructor(options: ConnectionGuardOptions) {
    this.#options = options;
    for (const client of options.watched) client.on('error', this.#onError);
  }

  /** True while a declared loss has not been followed by an answer. */
  get lost(): boolean {
    return this.#lost;
  }

  /** The error a call made now should fail with, while Redis is known to be lost. */
  lostError(): QueueConnectionError {
    return new QueueConnectionError(this.#options.address, this.#options.timeoutMs, {
      cause: this.#lastError,
    });
  }

  /** Starts watching (work became outstanding). Idempotent. */
  watch(): void {
    this.#wanted = true;
    if (this.#timer !== undefined) return;
    this.#lastAnswer = Date.now();
    const every = Math.max(10, Math.min(1000, Math.floor(this.#options.timeoutMs / 4)));
    // Not unref'd: while work is outstanding, the guard is what guarantees it settles.
    this.#timer = setInterval(() => this.#tick(), every);
  }

  /** Stops watching (nothing is outstanding); during an outage, pings go on until an answer. */
  unwatch(): void {
    this.#wanted = false;
    if (!this.#lost) this.#stopTimer();
  }

  /** Stops for good. */
  dispose(): void {
    this.#wanted = false;
    this.#stopTimer();
    for (const client of this.#options.watched) client.off('error', this.#onError);
  }

  #stopTimer(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    if (Date.now() - this.#lastAnswer > this.#options.timeoutMs) {
      if (!this.#lost) {
        this.#lost = true;
        this.#options.onLost(this.lostError());
      }
      // Keep pinging: the first answer ends the outage.
    }
    if (this.#pinging) return;
    this.#pinging = true;
    this.#options.client.ping().then(
      () => {
        this.#pinging = false;
        this.#lastAnswer = Date.now();
        this.#lost = false;
        if (!this.#wanted) this.#stopTimer();
      },
      (error: unknown) => {
        this.#pinging = false;
        this.#lastError = error;
      },
    );
  }
}
