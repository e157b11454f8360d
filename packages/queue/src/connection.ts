/**
 * How both sides reach Redis: a `redis://` / `rediss://` URL or ioredis options become one
 * set of ioredis options, from which every connection (BullMQ's and our own) is made.
 */
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { QueueNameError, RedisUrlError } from './errors.js';

/**
 * Where Redis is: a URL (`redis://[[user]:password@]host[:port][/db]`, `rediss://` for
 * TLS) or ioredis connection options (`{ host, port, password, tls, … }`).
 */
export type RedisConnection = string | URL | RedisOptions;

/** The name of a queue, or a key prefix: what goes between the `:` of Redis keys. */
const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Returns `name` if a queue (or key prefix, `what: 'prefix'`) may be called so; throws
 * `QueueNameError` otherwise (empty, or other than letters, digits, `_`, `.`, `-`).
 */
export function checkQueueName(name: string, what = 'queue'): string {
  if (typeof name !== 'string' || name === '') {
    throw new QueueNameError(String(name), `the ${what} name is empty`);
  }
  if (!NAME.test(name)) {
    throw new QueueNameError(name, `a ${what} name may use letters, digits, '_', '.' and '-' only`);
  }
  return name;
}

/** A URL with its password replaced by `***`, for messages. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return url.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@');
  }
}

/** Parses a Redis URL into ioredis options. */
export function parseRedisUrl(text: string): RedisOptions {
  const shown = maskUrl(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new RedisUrlError(shown, 'not a URL (expected redis://host:port)', { cause: error });
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RedisUrlError(shown, `the scheme must be redis: or rediss:, not ${url.protocol}`);
  }
  if (url.hostname === '') throw new RedisUrlError(shown, 'no host');
  const port = url.port === '' ? 6379 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RedisUrlError(shown, `bad port ${url.port}`);
  }
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || !Number.isInteger(db)) {
    throw new RedisUrlError(shown, `the path must be a database number, not /${dbText}`);
  }
  // An IPv6 literal comes with brackets, which a socket address does not take.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port,
    db,
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(url.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
  };
}

/** The ioredis options of a connection option, validated. */
export function redisOptions(connection: RedisConnection): RedisOptions {
  if (typeof connection === 'string') return parseRedisUrl(connection);
  if (connection instanceof URL) return parseRedisUrl(connection.href);
  if (connection === null || typeof connection !== 'object') {
    throw new RedisUrlError(String(connection), 'expected a redis:// URL or ioredis options');
  }
  return { ...connection };
}

/** `host:port` for messages (never a password). */
export function describeAddress(options: RedisOptions): string {
  if (options.path !== undefined) return options.path;
  return `${options.host ?? '127.0.0.1'}:${options.port ?? 6379}`;
}

/** Delay before the n-th reconnect attempt: quick at first, then at most every 2 s. */
function retryDelay(times: number): number {
  return Math.min(50 * 2 ** Math.min(times, 6), 2000);
}

/**
 * The connection option of BullMQ's classes, which make their own connections from it
 * (BullMQ's types describe ioredis' options loosely, hence the cast).
 */
export function bullConnection(options: RedisOptions): ConnectionOptions {
  return { retryStrategy: retryDelay, ...options, maxRetriesPerRequest: null } as ConnectionOptions;
}

/**
 * One of our own connections (replies, cancellations, and the worker's connection that
 * BullMQ shares). Commands wait for a reconnect rather than fail
 * (`maxRetriesPerRequest: null`): the executor's connection guard decides when waiting
 * has lasted too long. The offline queue and the re-sending of unanswered commands are
 * forced on: a worker's reply must reach Redis before the command BullMQ sends after it
 * (see reply-sender.ts), so no command may be dropped while a later one goes through.
 * `name` shows in Redis' `CLIENT LIST`.
 */
export function openRedis(options: RedisOptions, name: string): Redis {
  const client = new Redis({
    retryStrategy: retryDelay,
    ...options,
    connectionName: name,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    autoResendUnfulfilledCommands: true,
    lazyConnect: false,
  });
  // Connection errors are reported by the guard and by failed commands; without a
  // listener ioredis would print them.
  client.on('error', () => {});
  return client;
}

/** Closes a connection at once, without waiting for replies that may never come. */
export function dropRedis(client: Redis): void {
  client.disconnect(false);
}

/**
 * `work`, or nothing after `ms`: for polite closes (QUIT, BullMQ's close) that wait for a
 * Redis which may never answer again. Never rejects.
 */
export function within(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    work.then(
      () => {},
      () => {},
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
