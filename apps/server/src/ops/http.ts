import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';

/**
 * What `/healthz` reports. Anything but `ok` answers 503: `draining` so load balancers stop
 * sending traffic, `stalled` when the serving loop has stopped turning.
 */
export interface HealthReport {
  readonly status: 'ok' | 'draining' | 'stalled';
  readonly uptimeSeconds: number;
  readonly [detail: string]: unknown;
}

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
  readonly health: () => HealthReport;
  readonly metrics: () => Promise<MetricsPage>;
  /** Serves every other GET/HEAD (the Life viewer); without it they answer 404. */
  readonly staticFiles?: StaticRequestHandler;
  readonly logger: Logger;
}

/** The running operations endpoint. */
export interface OpsHttpServer extends AsyncDisposable {
  /** The port it listens on (the chosen one when asked for 0). */
  readonly port: number;
  /** Stops listening and closes every connection, idle or not. Idempotent. */
  close(): Promise<void>;
}

/** Open HTTP connections allowed: enough for scrapers, probes and viewers, bounded. */
const MAX_HTTP_CONNECTIONS = 256;

/**
 * Starts the operations HTTP endpoint: `GET /healthz` (JSON, 200 or 503 while draining),
 * `GET /metrics` (Prometheus text format), anything else GET/HEAD goes to the static file
 * handler, then 404. Other methods get 405. Slow or idle clients are cut by timeouts so
 * they cannot pile up.
 *
 * @example
 * ```ts
 * const ops = await startOpsHttp({ host: '127.0.0.1', port: 0, logger,
 *   health: () => ({ status: 'ok', uptimeSeconds: process.uptime() }),
 *   metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }) });
 * console.log(ops.port);
 * ```
 */
export async function startOpsHttp(options: OpsHttpOptions): Promise<OpsHttpServer> {
  const { logger } = options;
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, 'http request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  server.maxConnections = MAX_HTTP_CONNECTIONS;
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (error, socket) => {
    logger.debug({ err: error }, 'http client error');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await listen(server, options.host, options.port);
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
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
  const path = (req.url ?? '/').split(/[?#]/, 1)[0];
  if (path === '/healthz') {
    const report = options.health();
    res.setHeader('Cache-Control', 'no-store');
    send(
      res,
      report.status === 'ok' ? 200 : 503,
      'application/json; charset=utf-8',
      `${JSON.stringify(report)}\n`,
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
