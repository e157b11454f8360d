/**
 * What callers and workers exchange through Redis, besides BullMQ's own job records:
 * the data of a job, the reply a worker sends to the caller's reply stream, and the
 * cancel messages. Version 1; a worker refuses jobs of another version (see `v`).
 */
import type { Encoded } from './codec.js';

/** Version of the shapes below; bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;

/** Key prefix of fanout's queues when none is given (BullMQ's own default is `bull`). */
export const DEFAULT_PREFIX = 'fanout';

/** The data of one job, as BullMQ stores it (job name = the export name). */
export interface JobData {
  /** Protocol version. */
  readonly v: number;
  /** The caller's id: its reply stream is `replyKey(prefix, queue, c)`. */
  readonly c: string;
  /** The map (or run) the job belongs to, for cancel messages. */
  readonly b: string;
  /** Most starts before the job fails with `JobAttemptsExceededError`. */
  readonly m: number;
  /** `call`: `e(...a)`; `chunk`: `e(item)` for each of `i`, fail-fast; `settle`: each settled. */
  readonly k: 'call' | 'chunk' | 'settle';
  /** Encoded arguments (`call`) or items (`chunk`, `settle`). */
  readonly p: Encoded;
}

/** Reply entry kinds in a caller's reply stream. */
export const REPLY_STARTED = 's';
export const REPLY_DONE = 'r';

/** The encoded outcome of a job (the `o` field of a `REPLY_DONE` entry, as JSON). */
export type JobOutcome =
  | { readonly ok: true; readonly value: Encoded }
  | { readonly ok: false; readonly error: Encoded };

/** A cancel message: every job of these batches is to stop (waiting ones are removed). */
export interface CancelMessage {
  readonly batches: readonly string[];
}

/** The stream a caller reads its replies from. */
export function replyKey(prefix: string, queue: string, callerId: string): string {
  return `${prefix}:${queue}:fanout-replies:${callerId}`;
}

/** The pub/sub channel of cancel messages of a queue. */
export function cancelChannel(prefix: string, queue: string): string {
  return `${prefix}:${queue}:fanout-cancel`;
}

/**
 * How long a reply stream outlives its caller's last refresh: a caller that died leaves
 * nothing behind for longer than this. Workers never create a reply stream (`NOMKSTREAM`),
 * so a late reply to a dead caller cannot bring its stream back without an expiry.
 */
export const REPLY_TTL_MS = 10 * 60_000;

/**
 * A worker tells the caller a job started (for `stats.active`) only once it has run this
 * long: the notice would cost a Redis write per job, and a job done sooner goes straight
 * from waiting to completed.
 */
export const ACTIVE_NOTICE_MS = 20;

/** The entry a caller writes to create its reply stream (ignored when read). */
export const REPLY_INIT = 'i';
