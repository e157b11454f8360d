import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_HTTP_CONNECTIONS } from '../fd-limit.js';
import type { Logger } from '../logger.js';
import { guardConnections } from './guard.js';
import { answerProbe, type HealthSnapshot, PROBES, type ProbeName } from './health.js';
import { traceOpsServer } from './trace.js';

export type { HealthSnapshot } from './health.js';

/** A rendered metrics page. */
export interface MetricsPage {
  readonly contentType: string;
  readonly body: string;
}

/** Answers a request for a static file; resolves false when it has no file for it. */
export type StaticRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Options of `startOpsHttp`. */
export interface OpsHttpOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** What the probes report; called synchronously for every probe, so keep it cheap. */
  readonly health: () => HealthSnapshot;
  readonly metrics: () => Promise<MetricsPage>;
  /** Serves every other GET/HEAD (the Life viewer); without it they answer 404. */
  readonly staticFiles?: StaticRequestHandler;
  /** Connections held at most (the oldest idle one makes room for a new one). Default 1024. */
  readonly maxConnections?: number;
  readonly logger: Logger;
}

/** The running operations endpoint. */
export interface OpsHttpServer extends AsyncDisposable {
  /** The port it listens on (the chosen one when asked for 0). */
  readonly port: number;
  /** Stops listening and closes every connection, idle or not. Idempotent. */
  close(): Promise<void>;
}

/** A connection must send its request head within this long (of connecting, or of its previous response). */
export const HEADERS_TIMEOUT_MS = 5_000;
/** From request head to the end of the response, at most. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** How often those deadlines are checked: a close comes at most this late. */
const CHECK_EVERY_MS = 250;
/** Requests one keep-alive connection may make before it is closed. */
const MAX_REQUESTS_PER_CONNECTION = 100;

/**
 * Starts the operations HTTP endpoint: `GET /healthz`, `/readyz`, `/livez` (JSON, 200 or
 * 503, answered at once from `health()`), `GET /metrics` (Prometheus text format), anything
 * else GET/HEAD goes to the static file handler, then 404. Other methods get 405. No client
 * can shut the probes out: a connection must send its request head within 5 s and be done
 * within 10 s (checked every 250 ms), and when all 1024 connections are taken the oldest
 * one not being answered makes room for the newcomer.
 *
 * @example
 * ```ts
 * const ops = await startOpsHttp({ host: '127.0.0.1', port: 0, logger,
 *   health: () => ({ stopping: false, stalledMs: undefined, uptimeSeconds: process.uptime(), details: {} }),
 *   metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }) });
 * console.log(ops.port);
 * ```
 */
export async function startOpsHttp(options: OpsHttpOptions): Promise<OpsHttpServer> {
  const { logger } = options;
  const server = createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      keepAliveTimeout: HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: 1_000,
      maxHeaderSize: 8 * 1024,
    },
    (req, res) => {
      handle(options, req, res).catch((error: unknown) => {
        logger.error({ err: error, url: req.url }, 'http request failed');
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else res.destroy();
      });
    },
  );
  server.maxRequestsPerSocket = MAX_REQUESTS_PER_CONNECTION;
  // Only with FANOUT_OPS_TRACE set (a diagnostic for the bench); else nothing is attached.
  const stopTrace = traceOpsServer(server);
  const guard = guardConnections(server, {
    maxConnections: options.maxConnections ?? MAX_HTTP_CONNECTIONS,
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    checkEveryMs: CHECK_EVERY_MS,
    onClose: (reason) => logger.debug({ reason }, 'http connection closed by the guard'),
  });
  server.on('clientError', (error, socket) => {
    logger.debug({ err: error }, 'http client error');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  try {
    await listen(server, options.host, options.port);
  } catch (error) {
    guard.stop();
    stopTrace?.();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      guard.stop();
      stopTrace?.();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  return { port, close, [Symbol.asyncDispose]: close };
}

async function handle(
  options: OpsHttpOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }
  const path = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
  if (PROBES.has(path)) {
    const answer = answerProbe(path.slice(1) as ProbeName, options.health());
    res.setHeader('Cache-Control', 'no-store');
    send(
      res,
      answer.statusCode,
      'application/json; charset=utf-8',
      `${JSON.stringify(answer.body)}\n`,
    );
    return;
  }
  if (path === '/metrics') {
    const page = await options.metrics();
    res.setHeader('Cache-Control', 'no-store');
    send(res, 200, page.contentType, page.body);
    return;
  }
  if (options.staticFiles !== undefined && (await options.staticFiles(req, res))) return;
  send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
