/**
 * How a worker hands a job's outcome to its caller without waiting for Redis first.
 *
 * The reply goes on the very connection BullMQ's Worker uses for `moveToFinished`, and it
 * is written before the processor returns, so Redis runs it before BullMQ's EVALSHA: one
 * connection's commands run in the order they were sent, ioredis sends them in call order
 * (directly, from its offline queue, or re-sent after a reconnect), and what a dropped
 * connection or a killed process loses is always a tail, never a command in the middle.
 * Nothing is awaited, so a job costs no extra round trip.
 *
 * Order alone does not cover an error reply (out of memory, a key of the wrong type, an
 * ACL): the reply would be missing while the job completes. So the reply is a script that
 * adds the stream entry and, if that fails, deletes the job's lock (when it still holds
 * this worker's token). BullMQ's `moveToFinished` refuses a job without its lock, so the
 * job stays active, its claim is gone, and the stalled check puts it back in the queue to
 * run again: a job completes only after its reply is in the caller's stream.
 *
 * The script is sent whole (EVAL, not EVALSHA): a script missing from Redis' cache would
 * fail with NOSCRIPT and be re-sent only after BullMQ's command had already run.
 */
import type { Redis } from 'ioredis';
import { REPLY_DONE, REPLY_STARTED } from './protocol.js';

/** Reply streams are capped (approximately) at this many unread entries. */
const REPLY_MAXLEN = '100000';

// KEYS: reply stream, job lock. ARGV: maxlen, kind, job id, outcome JSON, lock token.
const REPLY_OR_UNLOCK = `local r = redis.pcall('XADD', KEYS[1], 'NOMKSTREAM', 'MAXLEN', '~', ARGV[1], '*', 't', ARGV[2], 'j', ARGV[3], 'o', ARGV[4])
if type(r) == 'table' and r.err then
  if redis.call('GET', KEYS[2]) == ARGV[5] then redis.call('DEL', KEYS[2]) end
end
return r`;

const held = new WeakSet<object>();

/**
 * Holds `redis`'s writes until this tick's microtasks have run, then sends them in one
 * write: the reply and BullMQ's `moveToFinished` right after it reach Redis together (one
 * syscall here, one socket read there, instead of two each). It changes when bytes leave,
 * never what leaves or in which order. The worker calls it only while jobs wait for a
 * thread: then the machine's CPU is the limit and the write saved is worth having, while
 * with every job on a thread the `moveToFinished` that fetches the next job is on the
 * critical path, and holding the reply for it cost 20% of wall time (bench, 21 rounds).
 */
export function holdWritesForThisTick(redis: Redis): void {
  if (redis.status !== 'ready') return;
  const stream = redis.stream;
  if (held.has(stream)) return;
  held.add(stream);
  stream.cork();
  process.nextTick(() => {
    held.delete(stream);
    stream.uncork();
  });
}

/** BullMQ's lock key of a job (`<prefix>:<queue>:<id>:lock`), as its scripts build it. */
export function jobLockKey(prefix: string, queue: string, jobId: string): string {
  return `${prefix}:${queue}:${jobId}:lock`;
}

/**
 * Sends the outcome of a finished job to the caller's stream `replyKey` on `redis`, which
 * must be the connection BullMQ's Worker uses. Call it before the processor returns and do
 * not await it. Resolves with the entry id, or `null` when the stream is gone (its caller
 * closed or died: nobody waits for the reply). Rejects with Redis' error when the entry
 * could not be added; the job's lock is then released (see above).
 */
export function sendReply(
  redis: Redis,
  replyKey: string,
  lockKey: string,
  token: string,
  jobId: string,
  outcomeJson: string,
): Promise<string | null> {
  return redis.eval(
    REPLY_OR_UNLOCK,
    2,
    replyKey,
    lockKey,
    REPLY_MAXLEN,
    REPLY_DONE,
    jobId,
    outcomeJson,
    token,
  ) as Promise<string | null>;
}

/** Tells the caller a job has started (for its `stats.active`); losing it costs nothing. */
export function sendStarted(redis: Redis, replyKey: string, jobId: string): Promise<unknown> {
  return redis.xadd(
    replyKey,
    'NOMKSTREAM',
    'MAXLEN',
    '~',
    REPLY_MAXLEN,
    '*',
    't',
    REPLY_STARTED,
    'j',
    jobId,
  );
}
