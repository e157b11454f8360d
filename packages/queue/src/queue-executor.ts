import { randomUUID } from 'node:crypto';
import {
  type CloseOptions,
  ExecutorClosedError,
  type ModuleExecutor,
  QueueFullError,
  type WaitForRoomOptions,
} from '@fanout/executors';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { decode, encode } from './codec.js';
import { ConnectionGuard } from './connection-guard.js';
import {
  checkQueueName,
  describeAddress,
  dropRedis,
  openRedis,
  redisOptions,
  bullConnection,
  within,
} from './connection.js';
import type {
  QueueCounts,
  QueueExecutorOptions,
  QueueExecutorStats,
  QueueMapOptions,
  QueueRunOptions,
} from './executor-options.js';
import { AbortRegistry } from './abort-registry.js';
import { type ChunkSink, mapChunks } from './map-chunks.js';
import { PendingJobs } from './pending-jobs.js';
import {
  type CancelMessage,
  cancelChannel,
  DEFAULT_PREFIX,
  type JobData,
  type JobOutcome,
  PROTOCOL_VERSION,
  REPLY_DONE,
  REPLY_STARTED,
  replyKey,
} from './protocol.js';
import { ReplyReader } from './reply-reader.js';
import { reviveError } from './revive.js';
import { JobSubmitter } from './submitter.js';

const MAX_AUTO_JOBS = 256;
const MAX_AUTO_CHUNK = 1024;

function validatePositive(name: string, value: number, allowInfinity: boolean): void {
  const ok =
    (Number.isInteger(value) && value >= 1) ||
    (allowInfinity && value === Number.POSITIVE_INFINITY);
  if (!ok) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
}

/**
 * Runs named exports of a worker module on the workers serving a queue (see
 * `startQueueWorker`), on any number of machines. The module-task interface of
 * `WorkerPool` (`run`, `submit`, `map`, `onIdle`, `waitForRoom`, `stats`, `close`), so code
 * written against a pool moves to a queue by changing its constructor. Create it with
 * `createQueueExecutor`.
 */
export class QueueExecutor implements ModuleExecutor {
  readonly #queueName: string;
  readonly #prefix: string;
  readonly #maxQueue: number;
  readonly #maxAttempts: number;
  readonly #callerId = randomUUID().replaceAll('-', '').slice(0, 16);
  readonly #queue: Queue;
  readonly #commands: Redis;
  readonly #blocking: Redis;
  readonly #pending: PendingJobs;
  readonly #guard: ConnectionGuard;
  readonly #reader: ReplyReader;
  readonly #submitter: JobSubmitter;
  readonly #channel: string;
  readonly #aborts = new AbortRegistry((ids, reason) => this.#cancelJobs(ids, reason));
  #seq = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  /** Use `createQueueExecutor`. */
  constructor(options: QueueExecutorOptions) {
    this.#queueName = checkQueueName(options.queue);
    this.#prefix = checkQueueName(options.prefix ?? DEFAULT_PREFIX, 'prefix');
    this.#maxQueue = options.maxQueue ?? Number.POSITIVE_INFINITY;
    validatePositive('maxQueue', this.#maxQueue, true);
    this.#maxAttempts = options.maxAttempts ?? 3;
    validatePositive('maxAttempts', this.#maxAttempts, false);
    const timeoutMs = options.connectionTimeoutMs ?? 10_000;
    validatePositive('connectionTimeoutMs', timeoutMs, false);
    const redis = redisOptions(options.connection);
    this.#commands = openRedis(redis, `fanout-caller-${this.#callerId}`);
    this.#blocking = openRedis(redis, `fanout-caller-${this.#callerId}-replies`);
    this.#queue = new Queue(this.#queueName, {
      connection: bullConnection(redis),
      prefix: this.#prefix,
      // fanout reads replies from its own stream: BullMQ's event stream only needs to be short.
      streams: { events: { maxLen: 1000 } },
    });
    this.#queue.on('error', () => {});
    this.#channel = cancelChannel(this.#prefix, this.#queueName);
    this.#pending = new PendingJobs(this.#maxQueue, (busy) =>
      busy ? this.#guard.watch() : this.#guard.unwatch(),
    );
    this.#guard = new ConnectionGuard({
      client: this.#commands,
      watched: [this.#commands, this.#blocking],
      address: describeAddress(redis),
      timeoutMs,
      onLost: (error) => this.#pending.rejectAll(error),
    });
    this.#reader = new ReplyReader(
      this.#blocking,
      this.#commands,
      replyKey(this.#prefix, this.#queueName, this.#callerId),
      (kind, jobId, outcome) => this.#onReply(kind, jobId, outcome),
    );
    this.#submitter = new JobSubmitter(this.#queue, this.#reader.created, (ids, error) =>
      this.#pending.rejectAll(error, ids),
    );
    this.#reader.start();
  }

  /** This executor's id: the start of its job ids, the name of its reply stream. */
  get id(): string {
    return this.#callerId;
  }

  /** The queue's name. */
  get queue(): string {
    return this.#queueName;
  }

  /** The `maxQueue` in effect. */
  get maxQueue(): number {
    return this.#maxQueue;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Live counters of this executor's jobs (a `map` chunk is one job). */
  get stats(): QueueExecutorStats {
    const { waiting, active, completed, failed } = this.#pending.stats;
    return { queued: waiting, running: active, waiting, active, completed, failed };
  }

  /**
   * Calls `exportName(...args)` on a worker. Resolves with its result, or rejects with the
   * export's own error (rebuilt: name, message, stack, `cause`, `code` and other fields),
   * `QueueFullError`, `ExecutorClosedError`, `QueueConnectionError`,
   * `JobAttemptsExceededError`, `UnsupportedValueError`, or `signal.reason` on abort.
   *
   * @example
   * ```ts
   * const count = await executor.run<number>('countPrimes', [1_000_000]);
   * ```
   */
  run<R>(exportName: string, args: readonly unknown[] = [], options?: QueueRunOptions): Promise<R> {
    const refusal = this.#refusal(options?.signal);
    if (refusal !== undefined) return Promise.reject(refusal);
    if (!this.#pending.hasRoom()) return Promise.reject(new QueueFullError(this.#maxQueue));
    const batch = this.#nextId('r');
    const job = this.#submit<R>(batch, 'call', exportName, args, options?.signal);
    return job;
  }

  /** `run(exportName, args)` with the arguments spread. */
  submit<R>(exportName: string, ...args: unknown[]): Promise<R> {
    return this.run<R>(exportName, args);
  }

  /**
   * Calls `exportName(item)` for every item on the workers, results in input order. Items
   * travel in chunks (`chunkSize`), one job each. Fail-fast: the first error rejects the
   * map with that error and cancels its other jobs (waiting ones are removed from Redis,
   * running ones aborted on their workers). With `settle: true`, every item settles and
   * the map resolves with `PromiseSettledResult`s. Never more than `maxQueue` jobs at once:
   * it waits for room instead.
   */
  map<T, R>(
    exportName: string,
    items: Iterable<T>,
    options: QueueMapOptions & { settle: true },
  ): Promise<PromiseSettledResult<R>[]>;
  map<T, R>(exportName: string, items: Iterable<T>, options?: QueueMapOptions): Promise<R[]>;
  async map<T, R>(
    exportName: string,
    items: Iterable<T>,
    options?: QueueMapOptions,
  ): Promise<R[] | PromiseSettledResult<R>[]> {
    if (options?.chunkSize !== undefined) validatePositive('chunkSize', options.chunkSize, false);
    const signal = options?.signal;
    const refusal = this.#refusal(signal);
    if (refusal !== undefined) throw refusal;
    const all = Array.from(items);
    if (all.length === 0) return [];
    const size =
      options?.chunkSize ??
      Math.min(MAX_AUTO_CHUNK, Math.max(1, Math.ceil(all.length / MAX_AUTO_JOBS)));
    const chunks: T[][] = [];
    for (let start = 0; start < all.length; start += size)
      chunks.push(all.slice(start, start + size));
    const settle = options?.settle === true;
    const batch = this.#nextId('m');
    const sink: ChunkSink<T> = {
      send: (chunk) =>
        this.#submit<unknown>(
          batch,
          settle ? 'settle' : 'chunk',
          exportName,
          chunk,
          undefined,
        ).then((value) => (settle ? toSettled(value) : value)),
      hasRoom: () => this.#pending.hasRoom(),
      waitForRoom: (roomSignal) => this.#pending.waitForRoom(roomSignal),
      isClosed: () => this.#closed,
      cancel: (error) => this.#cancelBatch(batch, error),
    };
    const chunkResults = await mapChunks(sink, chunks, settle, signal);
    if (!settle) return (chunkResults as R[][]).flat();
    return (chunkResults as PromiseSettledResult<R>[][]).flat();
  }

  /** Resolves when this executor has no job outstanding. */
  onIdle(): Promise<void> {
    return this.#pending.onIdle();
  }

  /**
   * Resolves once a `run` now would not reject with `QueueFullError` (fewer than
   * `maxQueue` jobs outstanding); at once when unbounded. Rejects with
   * `ExecutorClosedError` after `close()`, `signal.reason` on abort. Not a reservation.
   */
  waitForRoom(options?: WaitForRoomOptions): Promise<void> {
    if (options?.signal?.aborted === true) return Promise.reject(options.signal.reason);
    if (this.#closed) {
      return Promise.reject(
        new ExecutorClosedError('executor is closed: no room will become free'),
      );
    }
    return this.#pending.waitForRoom(options?.signal);
  }

  /** Counts of the whole queue in Redis, every caller's jobs included. */
  async queueCounts(): Promise<QueueCounts> {
    const counts = await this.#queue.getJobCounts(
      'waiting',
      'active',
      'delayed',
      'completed',
      'failed',
    );
    return {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  /**
   * How many workers (`startQueueWorker` instances) are connected to the queue now, from
   * Redis' client list (`CLIENT LIST`, which some managed Redis services disable: then
   * the promise rejects).
   */
  workerCount(): Promise<number> {
    return this.#queue.getWorkersCount();
  }

  /**
   * Stops accepting jobs, waits for the outstanding ones (with `cancelPending: true`, they
   * reject with `ExecutorClosedError` and are cancelled on the workers), then closes the
   * Redis connections. Bounded even when Redis is gone (`connectionTimeoutMs`).
   * Idempotent; a later `cancelPending: true` still cancels what is outstanding.
   */
  close(options?: CloseOptions): Promise<void> {
    this.#closed = true;
    this.#pending.closeRoom();
    if (options?.cancelPending === true) {
      const error = new ExecutorClosedError('executor closed: job cancelled');
      const batches = new Set(this.#pending.ids().map((id) => this.#pending.get(id)!.batch));
      for (const batch of batches) this.#cancelBatch(batch, error);
    }
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  /** `close()` for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(): Promise<void> {
    await this.#pending.onIdle();
    this.#guard.dispose();
    await within(this.#guard.lost ? 0 : 2000, this.#submitter.flushed());
    await this.#reader.stop();
    // Closing politely needs Redis; when it is gone, drop the connections.
    const politeMs = this.#guard.lost ? 0 : 2000;
    await within(politeMs, this.#queue.close());
    // Replies to this executor can only be late duplicates now.
    await within(
      politeMs,
      this.#commands.del(replyKey(this.#prefix, this.#queueName, this.#callerId)),
    );
    await within(politeMs, this.#commands.quit());
    dropRedis(this.#commands);
    dropRedis(this.#blocking);
    await within(politeMs + 500, this.#queue.disconnect());
  }

  #refusal(signal: AbortSignal | undefined): unknown {
    if (this.#closed) return new ExecutorClosedError('executor is closed: job rejected');
    if (signal?.aborted === true) return signal.reason;
    if (this.#guard.lost) return this.#guard.lostError();
    return undefined;
  }

  #nextId(kind: string): string {
    return `${this.#callerId}-${kind}${++this.#seq}`;
  }

  #submit<R>(
    batch: string,
    kind: JobData['k'],
    exportName: string,
    payload: readonly unknown[],
    signal: AbortSignal | undefined,
  ): Promise<R> {
    let data: JobData;
    try {
      data = {
        v: PROTOCOL_VERSION,
        c: this.#callerId,
        b: batch,
        m: this.#maxAttempts,
        k: kind,
        p: encode(payload, kind === 'call' ? 'args' : 'items'),
      };
    } catch (error) {
      return Promise.reject(error);
    }
    const id = this.#nextId('j');
    const result = new Promise<R>((resolve, reject) => {
      this.#pending.add({
        id,
        batch,
        exportName,
        active: false,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
    });
    if (signal !== undefined) {
      this.#aborts.register(signal, id);
      const forget = (): void => this.#aborts.forget(signal, id);
      result.then(forget, forget);
    }
    this.#submitter.add(id, exportName, data);
    return result;
  }

  /** Rejects the batch's outstanding jobs with `error` and cancels them in Redis and on workers. */
  #cancelBatch(batch: string, error: unknown): void {
    this.#cancelJobs(this.#pending.ids(batch), error);
  }

  /** Rejects these jobs with `error` and cancels them in Redis and on workers. */
  #cancelJobs(jobIds: readonly string[], error: unknown): void {
    const batches = new Set<string>();
    for (const id of jobIds) {
      const job = this.#pending.get(id);
      if (job !== undefined) batches.add(job.batch);
    }
    const ids = jobIds.filter((id) => this.#pending.get(id) !== undefined);
    this.#pending.rejectAll(error, ids);
    const unsent = this.#submitter.drop(new Set(ids));
    const sent = ids.filter((id) => !unsent.has(id));
    if (sent.length === 0) return;
    const message: CancelMessage = { batches: [...batches] };
    this.#commands.publish(this.#channel, JSON.stringify(message)).catch(() => {});
    // Waiting jobs go at once; a running job is locked (remove returns 0) and stops on the
    // cancel message instead. Sent after the adds, on the same connection as them.
    this.#submitter.afterSent(() => {
      for (const id of sent) this.#queue.remove(id).catch(() => {});
    });
  }

  #onReply(kind: string, jobId: string, outcome: string | undefined): void {
    if (kind === REPLY_STARTED) {
      this.#pending.markActive(jobId);
      return;
    }
    if (kind !== REPLY_DONE || outcome === undefined) return;
    const job = this.#pending.get(jobId);
    // Already settled: a re-run's second reply, or a cancelled job. Exactly once.
    if (job === undefined) return;
    let parsed: JobOutcome;
    try {
      parsed = JSON.parse(outcome) as JobOutcome;
    } catch (error) {
      this.#pending.settle(jobId, { ok: false, error });
      return;
    }
    if (parsed.ok) this.#pending.settle(jobId, { ok: true, value: decode(parsed.value) });
    else this.#pending.settle(jobId, { ok: false, error: reviveError(decode(parsed.error)) });
  }
}

function toSettled(value: unknown): PromiseSettledResult<unknown>[] {
  return (value as { ok: boolean; value?: unknown; error?: unknown }[]).map((item) =>
    item.ok
      ? { status: 'fulfilled', value: item.value }
      : { status: 'rejected', reason: reviveError(item.error) },
  );
}

/**
 * An executor for the queue `queue` on the Redis at `connection`: jobs run on whatever
 * workers serve that queue (`startQueueWorker`, `fanout worker`), on any machine.
 *
 * @example
 * ```ts
 * import { createQueueExecutor } from '@fanout/queue';
 *
 * await using executor = createQueueExecutor({ connection: 'redis://127.0.0.1:6379', queue: 'primes' });
 * const counts = await executor.map<number, number>('countPrimes', [1e5, 2e5, 3e5], { chunkSize: 1 });
 * ```
 */
export function createQueueExecutor(options: QueueExecutorOptions): QueueExecutor {
  return new QueueExecutor(options);
}
