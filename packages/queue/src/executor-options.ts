/** The options and counters of `QueueExecutor`. */
import type { ExecutorStats } from '@fanout/executors';
import type { RedisConnection } from './connection.js';

/** Options of `createQueueExecutor`. */
export interface QueueExecutorOptions {
  /** Where Redis is: `redis://[:password@]host:port[/db]`, `rediss://…` (TLS), or ioredis options. */
  readonly connection: RedisConnection;
  /** The queue's name: workers started with the same name (and prefix) run its jobs. */
  readonly queue: string;
  /** Key prefix in Redis, shared by callers and workers. Default `fanout`. */
  readonly prefix?: string;
  /**
   * Most jobs of this executor in Redis at once, waiting or running (a `map` chunk is one
   * job); one more `run` rejects with `QueueFullError`, `map` waits for room. Default `Infinity`.
   */
  readonly maxQueue?: number;
  /**
   * Most times a job is started (a worker died or lost Redis under it each time) before
   * it fails with `JobAttemptsExceededError`. Default 3.
   */
  readonly maxAttempts?: number;
  /**
   * Most milliseconds without an answer from Redis while jobs are outstanding; then every
   * outstanding job rejects with `QueueConnectionError`. Default 10 000.
   */
  readonly connectionTimeoutMs?: number;
}

/** Options of `QueueExecutor#run`. */
export interface QueueRunOptions {
  /** Aborting rejects with `signal.reason` and cancels the job (a running one through its signal). */
  readonly signal?: AbortSignal;
}

/** Options of `QueueExecutor#map`. */
export interface QueueMapOptions extends QueueRunOptions {
  /**
   * Items per job. Default: the items split into at most 256 jobs of at most 1024 items.
   * One job costs a few Redis round trips, so cheap items want bigger chunks.
   */
  readonly chunkSize?: number;
  /** `true`: wait for every item and return `PromiseSettledResult`s instead of failing fast. */
  readonly settle?: boolean;
}

/** `QueueExecutor#stats`: `waiting`/`active` are BullMQ's names for `queued`/`running`. */
export interface QueueExecutorStats extends ExecutorStats {
  /** Jobs of this executor in Redis that no worker has started. */
  readonly waiting: number;
  /** Jobs of this executor a worker is running. */
  readonly active: number;
}

/** Counts of the whole queue in Redis (every caller's jobs), from `queueCounts()`. */
export interface QueueCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly completed: number;
  readonly failed: number;
}
