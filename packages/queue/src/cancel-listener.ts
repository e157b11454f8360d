/**
 * The worker's ear for cancel messages: a subscription to the queue's cancel channel,
 * and a memory of recently cancelled batches, so that a job of a cancelled batch that
 * reaches this worker after the message (its removal raced with a fetch) is skipped.
 */
import type { Redis } from 'ioredis';
import type { CancelMessage } from './protocol.js';

/** How long a cancelled batch is remembered. */
const REMEMBER_MS = 10 * 60_000;

export class CancelListener {
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #cancelled = new Map<string, number>();
  readonly #onCancel: (batch: string) => void;
  readonly #onMessage = (channel: string, text: string): void => {
    if (channel !== this.#channel) return;
    let message: CancelMessage;
    try {
      message = JSON.parse(text) as CancelMessage;
    } catch {
      return;
    }
    if (!Array.isArray(message.batches)) return;
    const now = Date.now();
    for (const batch of message.batches) {
      if (typeof batch !== 'string') continue;
      this.#cancelled.set(batch, now);
      this.#onCancel(batch);
    }
    this.#forgetOld(now);
  };

  constructor(subscriber: Redis, channel: string, onCancel: (batch: string) => void) {
    this.#subscriber = subscriber;
    this.#channel = channel;
    this.#onCancel = onCancel;
    subscriber.on('message', this.#onMessage);
  }

  /** Resolves once subscribed: from then on no cancel message is missed. */
  async start(): Promise<void> {
    await this.#subscriber.subscribe(this.#channel);
  }

  /** True when `batch` was cancelled recently. */
  isCancelled(batch: string): boolean {
    return this.#cancelled.has(batch);
  }

  #forgetOld(now: number): void {
    // Insertion order is time order: stop at the first recent one.
    for (const [batch, at] of this.#cancelled) {
      if (now - at < REMEMBER_MS) break;
      this.#cancelled.delete(batch);
    }
  }

  stop(): void {
    this.#subscriber.off('message', this.#onMessage);
  }
}
