import { fileURLToPath } from 'node:url';
import type { ServerConfig } from './config.js';
import { watchServiceEventLoop } from './event-loop.js';
import { startGuessService } from './guess-service.js';
import type { Logger } from './logger.js';
import { createServiceMetrics } from './metrics.js';
import { type OpsHttpServer, startOpsHttp } from './ops-http.js';
import { createStaticHandler } from './static-files.js';

/** Options of `startServer` that are not operator settings. */
export interface StartServerOptions {
  readonly logger: Logger;
  /**
   * Folder of the built Life viewer. Default: `web/` beside the built module
   * (`dist/web/`), which is where the package build puts it.
   */
  readonly webRoot?: string;
}

/** A running `fanout-server` (one process, or a cluster primary). */
export interface RunningServer extends AsyncDisposable {
  /** Port of the guess protocol. */
  readonly guessPort: number;
  /** Port of `/healthz`, `/metrics` and the viewer. */
  readonly httpPort: number;
  /**
   * Graceful stop: `/healthz` turns 503, no new guess connections, games in progress get up
   * to `drainTimeoutMs`, then everything closes. Idempotent: later calls share the first.
   */
  close(): Promise<void>;
}

/** Where the package build puts the viewer, relative to the built module. */
export function defaultWebRoot(): string {
  return fileURLToPath(new URL('./web/', import.meta.url));
}

/**
 * Runs the whole service in this process: the guess TCP server and the operations HTTP
 * endpoint, with logs and metrics wired in. Used by the bin for `--workers 1` and by tests.
 *
 * @example
 * ```ts
 * const config = { ...DEFAULT_CONFIG, guessPort: 0, httpPort: 0 };
 * await using server = await startServer(config, { logger: createLogger({ level: 'info' }) });
 * const res = await fetch(`http://127.0.0.1:${server.httpPort}/healthz`); // 200
 * ```
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions,
): Promise<RunningServer> {
  const { logger } = options;
  const startedAt = Date.now();
  const metrics = createServiceMetrics();
  const loop = watchServiceEventLoop({ metrics, logger, thresholdMs: config.slowCallbackMs });
  let draining = false;

  let guess: Awaited<ReturnType<typeof startGuessService>>;
  let ops: OpsHttpServer;
  try {
    guess = await startGuessService({ config, port: config.guessPort, logger, metrics });
  } catch (error) {
    loop.stop();
    throw error;
  }
  try {
    ops = await startOpsHttp({
      host: config.host,
      port: config.httpPort,
      logger,
      staticFiles: createStaticHandler(options.webRoot ?? defaultWebRoot()),
      health: () => ({
        status: draining ? 'draining' : 'ok',
        uptimeSeconds: Math.round((Date.now() - startedAt) / 100) / 10,
        connections: guess.connections,
      }),
      metrics: async () => ({
        contentType: metrics.registry.contentType,
        body: await metrics.registry.metrics(),
      }),
    });
  } catch (error) {
    await guess.close(0);
    loop.stop();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      metrics.draining.set(1);
      try {
        await guess.close(config.drainTimeoutMs);
      } finally {
        loop.stop();
        await ops.close();
      }
    })();
    return closing;
  };
  return {
    guessPort: guess.port,
    httpPort: ops.port,
    close,
    [Symbol.asyncDispose]: close,
  };
}
