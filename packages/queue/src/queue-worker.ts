import { availableParallelism } from 'node:os';
import { WorkerPool } from '@fanout/executors';
import { allowManyListeners } from '@fanout/internal/listeners';
import { type Job, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { CancelListener } from './cancel-listener.js';
import { encode } from './codec.js';
import {
  checkQueueName,
  describeAddress,
  dropRedis,
  openRedis,
  type RedisConnection,
  redisOptions,
  within,
} from './connection.js';
import { JobAttemptsExceededError, QueueConnectionError } from './errors.js';
import { decode } from './codec.js';
import { runJob } from './run-job.js';
import {
  cancelChannel,
  DEFAULT_PREFIX,
  type JobData,
  type JobOutcome,
  PROTOCOL_VERSION,
  ACTIVE_NOTICE_MS,
  replyKey,
} from './protocol.js';
import { holdWritesForThisTick, jobLockKey, sendReply, sendStarted } from './reply-sender.js';

/** Options of `startQueueWorker`. */
export interface QueueWorkerOptions {
  /** Where Redis is: `redis://[:password@]host:port[/db]`, `rediss://…` (TLS), or ioredis options. */
  readonly connection: RedisConnection;
  /** The queue to serve (callers use the same name and prefix). */
  readonly queue: string;
  /**
   * The worker module whose named exports jobs call: a `URL`, a `file:` URL, an absolute
   * path or one relative to the working directory (as `WorkerPool` takes it).
   */
  readonly module: string | URL;
  /** Worker threads, i.e. jobs computed at once on this machine. Default: the number of cores. */
  readonly threads?: number;
  /**
   * Jobs taken from the queue at once. Default `threads`; more lets a job wait on this
   * machine while another computes (hiding the Redis round trip between jobs), at the price
   * of other machines not getting it.
   */
  readonly concurrency?: number;
  /** Key prefix in Redis, shared by callers and workers. Default `fanout`. */
  readonly prefix?: string;
  /**
   * How long a job stays claimed without its worker renewing the claim (BullMQ's lock);
   * a worker that dies gives its jobs back after about this long plus
   * `stalledIntervalMs`. Default 15 000.
   */
  readonly lockDurationMs?: number;
  /** How often claims of dead workers are looked for. Default 5 000. */
  readonly stalledIntervalMs?: number;
  /** Most milliseconds to wait for Redis when starting. Default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Aborting stops the worker as `close()` does. */
  readonly signal?: AbortSignal;
  /**
   * Errors that do not stop the worker: a lost connection it retries, or a reply Redis
   * refused (the job then runs again). Default: ignored.
   */
  readonly onError?: (error: Error) => void;
}

/** Options of `QueueWorker#close`. */
export interface QueueWorkerCloseOptions {
  /**
   * Milliseconds running jobs may take to finish; those still running then are stopped and
   * put back in the queue for another worker. Default `Infinity` (wait for them).
   */
  readonly timeoutMs?: number;
}

/** Counters of a `QueueWorker`. */
export interface QueueWorkerStats {
  /** Jobs running now. */
  readonly running: number;
  /** Jobs that ran to a result. */
  readonly completed: number;
  /** Jobs whose task threw (the error went to the caller). */
  readonly failed: number;
  /** Jobs stopped or skipped because their caller cancelled them. */
  readonly cancelled: number;
  /** Jobs put back in the queue by a `close()` that timed out. */
  readonly requeued: number;
}

/** A running worker: see `startQueueWorker`. */
export interface QueueWorker extends AsyncDisposable {
  /** The queue served. */
  readonly queue: string;
  /** Worker threads. */
  readonly threads: number;
  /** Live counters. */
  readonly stats: QueueWorkerStats;
  /** Resolves when the worker has stopped (by `close()` or `signal`). */
  readonly closed: Promise<void>;
  /**
   * Stops taking jobs and lets running ones finish (up to `timeoutMs`, then they go back
   * to the queue), then closes the threads and connections. Idempotent.
   */
  close(options?: QueueWorkerCloseOptions): Promise<void>;
}

const CANCELLED = Symbol('cancelled');
const REQUEUE = Symbol('requeue');

/**
 * The running jobs of one batch (a map or a run) on this worker. They share one abort
 * signal: a cancel stops a whole batch and a requeue every job, never one job alone, and
 * an `AbortController` per job cost about 6 µs (a CPU profile at 16 jobs at once).
 */
interface RunningBatch {
  readonly controller: AbortController;
  jobs: number;
}

class QueueWorkerImpl implements QueueWorker {
  readonly queue: string;
  readonly threads: number;
  readonly #prefix: string;
  readonly #pool: WorkerPool;
  /** BullMQ's Worker connection, which also carries the replies (see reply-sender.ts). */
  readonly #redis: Redis;
  readonly #subscriber: Redis;
  readonly #listener: CancelListener;
  readonly #worker: Worker;
  readonly #batches = new Map<string, RunningBatch>();
  readonly #onError: (error: Error) => void;
  readonly #awaitReplies: boolean;
  #running = 0;
  #completed = 0;
  #failed = 0;
  #cancelled = 0;
  #requeued = 0;
  #closing: Promise<void> | undefined;
  #resolveClosed!: () => void;
  readonly closed = new Promise<void>((resolve) => {
    this.#resolveClosed = resolve;
  });

  constructor(options: QueueWorkerOptions, awaitReplies: boolean) {
    this.#awaitReplies = awaitReplies;
    this.queue = checkQueueName(options.queue);
    this.#prefix = checkQueueName(options.prefix ?? DEFAULT_PREFIX, 'prefix');
    this.threads = options.threads ?? availableParallelism();
    positive('threads', this.threads);
    const concurrency = options.concurrency ?? this.threads;
    positive('concurrency', concurrency);
    const lockDuration = options.lockDurationMs ?? 15_000;
    positive('lockDurationMs', lockDuration);
    const stalledInterval = options.stalledIntervalMs ?? 5_000;
    positive('stalledIntervalMs', stalledInterval);
    this.#onError = options.onError ?? (() => {});
    const redis = redisOptions(options.connection);
    this.#pool = new WorkerPool({
      module: options.module,
      minThreads: this.threads,
      maxThreads: this.threads,
    });
    // No auto-pipelining here: it would hold a reply back until the next tick, and BullMQ's
    // command after it must never overtake it.
    this.#redis = openRedis(redis, 'fanout-worker');
    this.#subscriber = openRedis(redis, `fanout-worker-cancel`);
    for (const client of [this.#redis, this.#subscriber]) {
      client.on('error', (error: Error) => this.#onError(error));
    }
    this.#listener = new CancelListener(
      this.#subscriber,
      cancelChannel(this.#prefix, this.queue),
      (batch) => this.#cancelBatch(batch),
    );
    this.#worker = new Worker(this.queue, (job, token) => this.#process(job, token), {
      // Our own client, not options: BullMQ then runs its commands on it (a blocking copy
      // is made for fetching jobs), and the reply of a job goes right before its
      // moveToFinished on the same connection.
      connection: this.#redis,
      prefix: this.#prefix,
      concurrency,
      lockDuration,
      stalledInterval,
      // Restarts are counted by the job itself (its `maxAttempts`, set by the caller), so
      // the caller hears why it failed; BullMQ's own limit must never come first.
      maxStalledCount: 1_000_000,
      autorun: false,
      name: `fanout-worker`,
    });
    this.#worker.on('error', (error) => this.#onError(error));
    options.signal?.addEventListener('abort', () => void this.close(), { once: true });
  }

  get stats(): QueueWorkerStats {
    return {
      running: this.#running,
      completed: this.#completed,
      failed: this.#failed,
      cancelled: this.#cancelled,
      requeued: this.#requeued,
    };
  }

  async start(connectTimeoutMs: number, address: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastError: unknown;
    const remember = (error: unknown): void => {
      lastError = error;
    };
    this.#redis.on('error', remember);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new QueueConnectionError(address, connectTimeoutMs, {
              cause: lastError,
              connecting: true,
            }),
          ),
        connectTimeoutMs,
      );
    });
    try {
      // Subscribed first: a job is never taken before its cancel message could be heard.
      await Promise.race([
        Promise.all([this.#listener.start(), this.#worker.waitUntilReady()]),
        timeout,
      ]);
    } catch (error) {
      await this.#forceClose();
      throw error;
    } finally {
      clearTimeout(timer);
      this.#redis.off('error', remember);
    }
    this.#worker.run().catch((error: Error) => this.#onError(error));
  }

  close(options?: QueueWorkerCloseOptions): Promise<void> {
    this.#closing ??= this.#shutdown(options?.timeoutMs ?? Number.POSITIVE_INFINITY);
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(timeoutMs: number): Promise<void> {
    const drained = this.#worker.close();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let forced: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      if (!Number.isFinite(timeoutMs)) return;
      timer = setTimeout(() => {
        for (const batch of this.#batches.values()) batch.controller.abort(REQUEUE);
        // Putting a job back needs Redis; without it, its claim expires and another
        // worker takes it anyway. Either way the worker stops.
        forced = setTimeout(resolve, 2000);
      }, timeoutMs);
    });
    await Promise.race([drained.catch(() => {}), gaveUp]);
    clearTimeout(timer);
    clearTimeout(forced);
    await this.#pool.close({ cancelPending: true });
    await this.#forceClose();
    this.#resolveClosed();
  }

  async #forceClose(): Promise<void> {
    this.#listener.stop();
    dropRedis(this.#subscriber);
    // The Worker is closing before its connection goes: a closing Worker never retries a
    // moveToFinished that the dropped connection failed (its reply may not have run).
    await within(500, this.#worker.close(true));
    await within(500, this.#redis.quit());
    dropRedis(this.#redis);
    await within(500, this.#worker.disconnect());
    await this.#pool.close({ cancelPending: true });
  }

  #cancelBatch(batch: string): void {
    this.#batches.get(batch)?.controller.abort(CANCELLED);
  }

  async #process(job: Job, token: string | undefined): Promise<void> {
    const data = job.data as JobData;
    const id = job.id!;
    const key = replyKey(this.#prefix, this.queue, data.c);
    const reply = (outcome: JobOutcome) => this.#reply(key, id, token, outcome);
    if (data.v !== PROTOCOL_VERSION) {
      const error = new Error(
        `job ${id} uses fanout queue protocol ${String(data.v)}; this worker speaks ${PROTOCOL_VERSION}`,
      );
      await reply({ ok: false, error: encode(error) });
      return;
    }
    if (this.#listener.isCancelled(data.b)) {
      this.#cancelled++;
      return;
    }
    if (job.attemptsStarted > data.m) {
      const error = new JobAttemptsExceededError(id, job.name, job.attemptsStarted);
      await reply({ ok: false, error: encode(error) });
      this.#failed++;
      return;
    }
    let args: unknown[];
    try {
      args = decode(data.p) as unknown[];
    } catch (cause) {
      // Arguments this worker cannot read (another version's encoding, damaged data): the
      // caller hears it, instead of waiting for a reply that would never come.
      const error = new Error(`job ${id}: its arguments could not be decoded`, { cause });
      await reply({ ok: false, error: encode(error) });
      this.#failed++;
      return;
    }
    const running = this.#joinBatch(data.b);
    const { controller } = running;
    this.#running++;
    const notice = setTimeout(() => this.#started(key, id), ACTIVE_NOTICE_MS);
    try {
      const outcome = await runJob(this.#pool, job.name, data.k, args, controller.signal);
      if (controller.signal.aborted) throw controller.signal.reason;
      await reply(outcome);
      if (outcome.ok) this.#completed++;
      else this.#failed++;
    } catch (error) {
      if (error === CANCELLED || controller.signal.reason === CANCELLED) {
        this.#cancelled++;
        return;
      }
      if (error === REQUEUE || controller.signal.reason === REQUEUE) {
        this.#requeued++;
        await job.moveToWait(token);
        throw new WaitingError();
      }
      throw error;
    } finally {
      clearTimeout(notice);
      this.#running--;
      if (--running.jobs === 0 && this.#batches.get(data.b) === running) {
        this.#batches.delete(data.b);
      }
    }
  }

  /** The batch's shared abort signal, made when its first job starts here. */
  #joinBatch(batch: string): RunningBatch {
    let running = this.#batches.get(batch);
    if (running === undefined) {
      running = { controller: new AbortController(), jobs: 0 };
      // Every running job of the batch listens to it (through its WorkerPool task).
      allowManyListeners(running.controller.signal);
      this.#batches.set(batch, running);
    }
    running.jobs++;
    return running;
  }

  #started(key: string, id: string): void {
    // The reply that follows goes on the same connection, so it lands after this.
    sendStarted(this.#redis, key, id).catch(() => {});
  }

  /**
   * Sends the reply and returns at once: BullMQ's moveToFinished follows on the same
   * connection, so Redis runs the reply first, and if the reply fails, the script releases
   * the job's lock so that the job cannot complete (it runs again). NOMKSTREAM: the
   * caller's stream exists while it lives; a dead caller's stays gone.
   */
  #reply(
    key: string,
    id: string,
    token: string | undefined,
    outcome: JobOutcome,
  ): Promise<unknown> | undefined {
    // More jobs here than threads: some wait for a thread, so CPU is the limit, not the
    // round trip; the reply then leaves in one write with BullMQ's command after it.
    if (!this.#awaitReplies && this.#running > this.threads) holdWritesForThisTick(this.#redis);
    const sent = sendReply(
      this.#redis,
      key,
      jobLockKey(this.#prefix, this.queue, id),
      token ?? '',
      id,
      JSON.stringify(outcome),
    );
    // The bench's reference only: wait for Redis, one more round trip per job.
    if (this.#awaitReplies) return sent;
    sent.catch((error: Error) => this.#onError(error));
    return undefined;
  }
}

function positive(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
}

/**
 * Serves the queue `queue` on this machine: takes its jobs from Redis and runs them on a
 * local `WorkerPool` of `threads` threads loading `module`. Resolves once connected and
 * taking jobs. Survives Redis restarts (it reconnects; `onError` hears about it). Jobs run
 * at least once: a job whose worker dies is taken again by another after
 * `lockDurationMs`; its caller still gets one result. Stop it with `close()`, `signal` or
 * `await using`: running jobs finish (or, after `timeoutMs`, go back to the queue).
 *
 * @throws QueueConnectionError when Redis does not answer within `connectTimeoutMs`.
 * @example
 * ```ts
 * import { startQueueWorker } from '@fanout/queue';
 *
 * const worker = await startQueueWorker({
 *   connection: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
 *   queue: 'primes',
 *   module: new URL('./primes.js', import.meta.url),
 *   threads: 4,
 * });
 * process.once('SIGTERM', () => worker.close({ timeoutMs: 10_000 }));
 * await worker.closed;
 * ```
 */
export function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  return start(options, false);
}

/**
 * `startQueueWorker` with each reply awaited before BullMQ marks its job done: the
 * previous design, one more Redis round trip per job. For the overhead bench's side-by-side
 * row only; not exported from the package.
 */
export function startQueueWorkerAwaitingReplies(options: QueueWorkerOptions): Promise<QueueWorker> {
  return start(options, true);
}

async function start(options: QueueWorkerOptions, awaitReplies: boolean): Promise<QueueWorker> {
  const worker = new QueueWorkerImpl(options, awaitReplies);
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  positive('connectTimeoutMs', connectTimeoutMs);
  await worker.start(connectTimeoutMs, describeAddress(redisOptions(options.connection)));
  return worker;
}
