import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from './config/config.js';
import type { Logger } from './logger.js';
import { type MetricsPage, type OpsHttpServer, startOpsHttp } from './ops/http.js';
import { SharedOpsState } from './ops/state.js';
import { startOpsThread } from './ops/thread.js';
import { startServingProcess } from './serving-process.js';
import { createStaticHandler } from './static-files.js';

/** How often the serving loop proves it is turning, for the probes. */
const HEARTBEAT_MS = 100;
/** The probes report `stalled` when the serving loop has not turned for this long. */
export const STALL_AFTER_MS = 5_000;

/** Options of `startServer` that are not operator settings. */
export interface StartServerOptions {
  readonly logger: Logger;
  /**
   * Folder of the built Life viewer. Default: `web/` beside the built module
   * (`dist/web/`), which is where the package build puts it.
   */
  readonly webRoot?: string;
  /**
   * Serve HTTP on this event loop instead of a dedicated thread. Default false: the thread
   * keeps the probes fast under load. Tests of the sources set it (the thread entry exists
   * only in the build).
   */
  readonly opsInProcess?: boolean;
}

/** A running `fanout-server` (one process, or a cluster primary). */
export interface RunningServer extends AsyncDisposable {
  /** Port of the guess protocol. */
  readonly guessPort: number;
  /** Port of the probes, `/metrics` and the viewer. */
  readonly httpPort: number;
  /** Guess connections accepted at most (per process in cluster mode). */
  readonly maxConnections: number;
  /**
   * Graceful stop: `/readyz` and `/healthz` turn 503 at once, guess connections are still
   * served for `shutdownDelayMs`, then no new ones; games in progress get up to
   * `drainTimeoutMs`, then everything closes. Idempotent: later calls share the first.
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
 * const res = await fetch(`http://127.0.0.1:${server.httpPort}/readyz`); // 200
 * ```
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions,
): Promise<RunningServer> {
  const { logger } = options;
  const startedAt = Date.now();
  const state = new SharedOpsState();
  state.beat(0, startedAt);
  const serving = await startServingProcess(config, logger, { servesHttp: true });
  const { guess, metrics, budget } = serving;
  const heartbeat = setInterval(() => state.beat(guess.connections), HEARTBEAT_MS);
  heartbeat.unref();

  const renderMetrics = async (): Promise<MetricsPage> => ({
    contentType: metrics.registry.contentType,
    body: await metrics.registry.metrics(),
  });
  const webRoot = options.webRoot ?? defaultWebRoot();
  let ops: OpsHttpServer;
  try {
    ops =
      options.opsInProcess === true
        ? await startOpsHttp({
            host: config.host,
            port: config.httpPort,
            logger,
            staticFiles: createStaticHandler(webRoot),
            maxConnections: budget.maxHttpConnections,
            health: () => ({
              stopping: state.stopping,
              stalledMs: undefined, // answered on the serving loop: it is turning
              uptimeSeconds: Math.round((Date.now() - startedAt) / 100) / 10,
              details: { connections: guess.connections },
            }),
            metrics: renderMetrics,
          })
        : await startOpsThread({
            host: config.host,
            port: config.httpPort,
            webRoot,
            logLevel: config.logLevel,
            logger,
            state,
            stallAfterMs: STALL_AFTER_MS,
            startedAt,
            maxConnections: budget.maxHttpConnections,
            metrics: renderMetrics,
          });
  } catch (error) {
    clearInterval(heartbeat);
    await serving.close(0);
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      state.stopping = true;
      metrics.draining.set(1);
      try {
        if (config.shutdownDelayMs > 0) {
          logger.info(
            { shutdownDelayMs: config.shutdownDelayMs },
            'shutting down: /readyz answers 503, still serving',
          );
          await sleep(config.shutdownDelayMs);
        }
        await serving.close(config.drainTimeoutMs);
      } finally {
        clearInterval(heartbeat);
        await ops.close();
      }
    })();
    return closing;
  };
  return {
    guessPort: guess.port,
    httpPort: ops.port,
    maxConnections: budget.maxConnections,
    close,
    [Symbol.asyncDispose]: close,
  };
}
