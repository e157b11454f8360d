/**
 * Errors a caller of `@fanout/queue` can act on. Each has a stable `code` (also on the
 * class), names what went wrong and keeps the underlying error as `cause`. A task's own
 * error is not wrapped: it arrives rebuilt, with its name, message, stack, `cause` and
 * `code`. Refusals shared with the local executors (`QueueFullError`,
 * `ExecutorClosedError`) are the classes of `@fanout/executors`.
 */

/**
 * Redis could not be reached for longer than `connectionTimeoutMs` (it stopped, the
 * network dropped, or it never answered). Every job the executor was waiting for rejects
 * with it; jobs already in Redis may still run later, when Redis is back. Check that Redis
 * runs and the URL is right, then submit again.
 */
export class QueueConnectionError extends Error {
  static readonly code = 'FANOUT_QUEUE_CONNECTION_LOST';
  readonly code = QueueConnectionError.code;
  /** `host:port` of the Redis server (never the password). */
  readonly address: string;
  /** How long the executor waited for Redis to answer again. */
  readonly timeoutMs: number;
  /** The system error code of the last connection failure (`ECONNREFUSED`, …), if any. */
  readonly systemCode: string | undefined;

  /** True when Redis was never reached (a worker starting), false when it went away. */
  readonly connecting: boolean;

  constructor(
    address: string,
    timeoutMs: number,
    options?: ErrorOptions & { readonly connecting?: boolean },
  ) {
    const cause = options?.cause as { code?: unknown; message?: unknown } | undefined;
    const systemCode = typeof cause?.code === 'string' ? cause.code : undefined;
    const detail =
      typeof cause?.message === 'string' && cause.message !== '' ? ` (${cause.message})` : '';
    const connecting = options?.connecting === true;
    super(
      connecting
        ? `could not connect to Redis at ${address} within ${timeoutMs} ms${detail}`
        : `lost the connection to Redis at ${address} for more than ${timeoutMs} ms${detail}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.connecting = connecting;
    this.name = 'QueueConnectionError';
    this.address = address;
    this.timeoutMs = timeoutMs;
    this.systemCode = systemCode;
  }
}

/**
 * A job was started `attempts` times without finishing (each time, the worker running it
 * died or lost Redis), more than its `maxAttempts`: it is not tried again. Often a task
 * that kills its process (out of memory); look at the workers' logs.
 */
export class JobAttemptsExceededError extends Error {
  static readonly code = 'FANOUT_QUEUE_ATTEMPTS_EXCEEDED';
  readonly code = JobAttemptsExceededError.code;
  /** The job's id in the queue. */
  readonly jobId: string;
  /** The exported function the job calls. */
  readonly exportName: string;
  /** How many times the job was started. */
  readonly attempts: number;

  constructor(jobId: string, exportName: string, attempts: number, options?: ErrorOptions) {
    super(
      `job ${jobId} (${exportName}) was started ${attempts} times and never finished: its workers died or lost Redis each time`,
      options,
    );
    this.name = 'JobAttemptsExceededError';
    this.jobId = jobId;
    this.exportName = exportName;
    this.attempts = attempts;
  }
}

/**
 * An argument or a result holds something that cannot travel to another machine (a
 * function, a symbol, a cycle). `path` says where (`args[1].onDone`, `result.handle`).
 */
export class UnsupportedValueError extends Error {
  static readonly code = 'FANOUT_QUEUE_UNSUPPORTED_VALUE';
  readonly code = UnsupportedValueError.code;
  /** Where in the value the problem is. */
  readonly path: string;

  constructor(path: string, problem: string, options?: ErrorOptions) {
    super(`${path}: ${problem}`, options);
    this.name = 'UnsupportedValueError';
    this.path = path;
  }
}

/**
 * The Redis connection option is not usable: not a `redis://` or `rediss://` URL, a bad
 * port or database number. `url` is the value given, with any password replaced by `***`.
 */
export class RedisUrlError extends Error {
  static readonly code = 'FANOUT_QUEUE_REDIS_URL';
  readonly code = RedisUrlError.code;
  /** The URL as given, password masked. */
  readonly url: string;

  constructor(url: string, problem: string, options?: ErrorOptions) {
    super(`bad Redis URL ${url}: ${problem}`, options);
    this.name = 'RedisUrlError';
    this.url = url;
  }
}

/**
 * A queue name (or key prefix) that Redis keys cannot carry: empty, or with a `:` (BullMQ
 * separates key parts with it), spaces or control characters.
 */
export class QueueNameError extends Error {
  static readonly code = 'FANOUT_QUEUE_NAME';
  readonly code = QueueNameError.code;
  /** The name as given. */
  readonly queueName: string;

  constructor(queueName: string, problem: string) {
    super(`bad queue name ${JSON.stringify(queueName)}: ${problem}`);
    this.name = 'QueueNameError';
    this.queueName = queueName;
  }
}
