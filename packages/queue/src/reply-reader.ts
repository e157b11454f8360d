/**
 * The caller's side of the reply stream: one blocking `XREAD` loop on its own connection
 * hands every entry to `onReply`, then trims what it read (so the stream holds only unread
 * replies) and keeps the stream's expiry fresh while the caller lives.
 */
import type { Redis } from 'ioredis';
import { REPLY_INIT, REPLY_TTL_MS } from './protocol.js';

/** One reply entry: kind (`s` started, `r` done), job id, and the outcome JSON if done. */
export type ReplyHandler = (kind: string, jobId: string, outcome: string | undefined) => void;

const BLOCK_MS = 5000;
const BATCH = 1000;
/** Read entries are trimmed in bulk: after this many, or this long after the first. */
const TRIM_EVERY = 256;
const TRIM_AFTER_MS = 1000;

type StreamEntry = [id: string, fields: string[]];
type XReadReply = [key: string, entries: StreamEntry[]][] | null;

/** The smallest stream id after `id` (`ms-seq` → `ms-(seq+1)`), for an inclusive trim. */
function nextId(id: string): string {
  const dash = id.indexOf('-');
  return `${id.slice(0, dash)}-${BigInt(id.slice(dash + 1)) + 1n}`;
}

export class ReplyReader {
  readonly #blocking: Redis;
  readonly #commands: Redis;
  readonly #key: string;
  readonly #onReply: ReplyHandler;
  #lastId = '0-0';
  #untrimmed = 0;
  #trimTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #loop: Promise<void> | undefined;
  #wakeOnStop!: (value: null) => void;
  // ioredis never settles a command queued while it reconnects if the client is then
  // disconnected, so the loop also waits for this.
  readonly #stoppedWhileReading = new Promise<null>((resolve) => {
    this.#wakeOnStop = resolve;
  });
  readonly #refresh: ReturnType<typeof setInterval>;

  constructor(blocking: Redis, commands: Redis, key: string, onReply: ReplyHandler) {
    this.#blocking = blocking;
    this.#commands = commands;
    this.#key = key;
    this.#onReply = onReply;
    this.#refresh = setInterval(() => {
      this.#commands.pexpire(this.#key, REPLY_TTL_MS).catch(() => {});
    }, REPLY_TTL_MS / 3);
    this.#refresh.unref?.();
    // Workers only append to an existing stream: make it now, and again after a
    // reconnect (a Redis restarted without its data).
    this.created = this.#createStream();
    commands.on('ready', this.#recreate);
  }

  /**
   * Resolves once the reply stream exists: no job may be sent before, or its reply would
   * be dropped. Never rejects (a failure shows as an outage to the guard).
   */
  readonly created: Promise<void>;

  readonly #recreate = (): void => {
    if (!this.#stopped) void this.#createStream();
  };

  async #createStream(): Promise<void> {
    await this.#commands
      .multi()
      .xadd(this.#key, '*', 't', REPLY_INIT)
      .pexpire(this.#key, REPLY_TTL_MS)
      .exec()
      .catch(() => {});
  }

  /** Starts the read loop (once). */
  start(): void {
    this.#loop ??= this.#run();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let reply: XReadReply;
      try {
        const read = this.#blocking.xread(
          'COUNT',
          BATCH,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.#key,
          this.#lastId,
        ) as Promise<XReadReply>;
        read.catch(() => {});
        reply = await Promise.race([read, this.#stoppedWhileReading]);
        if (this.#stopped) return;
      } catch {
        // Closed by stop(), or a Redis error reply: the guard reports an outage, and the
        // loop goes on reading from where it was once Redis answers again.
        if (this.#stopped) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (reply === null) continue;
      for (const [, entries] of reply) {
        for (const [id, fields] of entries) {
          this.#lastId = id;
          this.#deliver(fields);
        }
      }
      this.#scheduleTrim(reply.reduce((sum, [, entries]) => sum + entries.length, 0));
    }
  }

  /** Everything up to lastId is read: drop it from Redis, a batch at a time. */
  #scheduleTrim(read: number): void {
    this.#untrimmed += read;
    if (this.#untrimmed >= TRIM_EVERY) {
      this.#trim();
      return;
    }
    this.#trimTimer ??= setTimeout(() => this.#trim(), TRIM_AFTER_MS);
    this.#trimTimer.unref?.();
  }

  #trim(): void {
    clearTimeout(this.#trimTimer);
    this.#trimTimer = undefined;
    this.#untrimmed = 0;
    this.#commands.xtrim(this.#key, 'MINID', nextId(this.#lastId)).catch(() => {});
  }

  #deliver(fields: string[]): void {
    let kind = '';
    let jobId = '';
    let outcome: string | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const name = fields[i];
      const value = fields[i + 1]!;
      if (name === 't') kind = value;
      else if (name === 'j') jobId = value;
      else if (name === 'o') outcome = value;
    }
    if (kind !== REPLY_INIT) this.#onReply(kind, jobId, outcome);
  }

  /** Stops reading: the blocking connection is dropped by the owner. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#commands.off('ready', this.#recreate);
    this.#wakeOnStop(null);
    clearInterval(this.#refresh);
    clearTimeout(this.#trimTimer);
    this.#blocking.disconnect(false);
    await this.#loop;
  }
}
