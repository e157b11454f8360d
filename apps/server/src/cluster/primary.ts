import cluster, { type Worker } from 'node:cluster';
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Gauge, Registry } from 'prom-client';
import type { ServerConfig } from '../config/config.js';
import { currentConnectionBudget } from '../fd-limit.js';
import type { Logger } from '../logger.js';
import { type OpsHttpServer, startOpsHttp } from '../ops/http.js';
import { defaultWebRoot, type RunningServer } from '../server.js';
import { createStaticHandler } from '../static-files.js';
import { WORKER_CONFIG_ENV, isClusterMessage } from './messages.js';
import { ClusterMetrics } from './metrics.js';
import { WorkerSupervisor } from './supervisor.js';

/** Options of `startCluster` that are not operator settings. */
export interface StartClusterOptions {
  readonly logger: Logger;
  /** Folder of the built Life viewer. Default: `web/` beside the built module. */
  readonly webRoot?: string;
  /** Script the workers run. Default: this process's main script (the bin). */
  readonly workerScript?: string;
}

/** A scrape waits this long for each worker's fresh metrics before using its last push. */
const SCRAPE_TIMEOUT_MS = 2_000;
/** Extra time a draining worker gets past the drain timeout before it is killed. */
const STOP_GRACE_MS = 3_000;

/** The primary's own metrics: the cluster's shape. */
function clusterRegistry(): {
  registry: Registry;
  workersUp: Gauge;
  restarts: Counter;
  draining: Gauge;
} {
  const registry = new Registry();
  return {
    registry,
    // The workers' gauge of the same name is merged with this one by `max`: the whole
    // cluster is shutting down from the primary's first signal, delay included.
    draining: new Gauge({
      name: 'fanout_draining',
      help: '1 while the server shuts down (shutdown delay and drain), else 0.',
      registers: [registry],
      aggregator: 'max',
    }),
    workersUp: new Gauge({
      name: 'fanout_cluster_workers',
      help: 'Cluster workers listening on the guess port.',
      registers: [registry],
    }),
    restarts: new Counter({
      name: 'fanout_cluster_worker_restarts_total',
      help: 'Workers that died unexpectedly and were replaced.',
      registers: [registry],
    }),
  };
}

/**
 * Asks every live worker for its metrics and waits for the answers (which the primary's
 * message listener records, like the pushes); a worker that does not answer within
 * `timeoutMs` is represented by its last push.
 */
function scrapeWorkers(
  workers: readonly Worker[],
  nextId: () => number,
  timeoutMs: number,
): Promise<void> {
  return Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          const id = nextId();
          const onMessage = (message: unknown): void => {
            if (!isClusterMessage(message) || message.type !== 'fanout:metrics') return;
            if (message.id !== id) return;
            finish();
          };
          const finish = (): void => {
            clearTimeout(timer);
            worker.off('message', onMessage);
            worker.off('exit', finish);
            resolve();
          };
          const timer = setTimeout(finish, timeoutMs);
          worker.on('message', onMessage);
          worker.once('exit', finish);
          if (worker.isConnected()) worker.send({ type: 'fanout:metrics-request', id });
          else finish();
        }),
    ),
  ).then(() => undefined);
}

/**
 * Runs the cluster primary: forks `config.workers` processes that share the guess port
 * (the primary accepts and hands connections out round-robin), serves the probes,
 * `/metrics` and the viewer itself, replaces any worker that dies, and on `close()` keeps
 * serving for `--shutdown-delay` with `/readyz` at 503, then asks every worker to drain
 * and waits for them.
 *
 * `/metrics` is one page for the whole cluster, counters summed over the workers alive and
 * those that died (see `ClusterMetrics`), so no counter ever decreases.
 */
export async function startCluster(
  config: ServerConfig,
  options: StartClusterOptions,
): Promise<RunningServer> {
  const { logger } = options;
  const startedAt = Date.now();
  cluster.setupPrimary({
    ...(options.workerScript === undefined ? {} : { exec: options.workerScript }),
    silent: false,
  });
  const own = clusterRegistry();
  const workerMetrics = new ClusterMetrics();
  let stopping = false;
  let guessPort = config.guessPort;
  let maxConnections = 0;

  cluster.on('message', (worker, message: unknown) => {
    if (isClusterMessage(message) && message.type === 'fanout:metrics') {
      workerMetrics.observe(worker.id, message.metrics);
    }
  });
  // Every worker, replacements included, asks for the configured port: node:cluster shares
  // one listening handle per (host, port) key, so asking a replacement for the concrete
  // port a `0` turned into would collide with that handle (EADDRINUSE).
  const supervisor = new WorkerSupervisor({
    workers: config.workers,
    env: { [WORKER_CONFIG_ENV]: JSON.stringify(config) },
    logger,
    onListening: (_worker, message) => {
      if (guessPort !== 0 && message.guessPort !== guessPort) {
        // Only possible with port 0 after every worker died at once: the OS picked anew.
        logger.warn({ previous: guessPort, guessPort: message.guessPort }, 'guess port changed');
      }
      guessPort = message.guessPort;
      maxConnections = message.maxConnections;
      own.workersUp.set(supervisor.listening);
    },
    onExit: (worker) => {
      workerMetrics.retire(worker.id);
      own.workersUp.set(supervisor.listening);
    },
    onRestart: () => own.restarts.inc(),
  });
  await supervisor.start();

  let requests = 0;
  const budget = currentConnectionBudget(undefined, true);
  let ops: OpsHttpServer;
  try {
    ops = await startOpsHttp({
      host: config.host,
      port: config.httpPort,
      logger,
      staticFiles: createStaticHandler(options.webRoot ?? defaultWebRoot()),
      maxConnections: budget.maxHttpConnections,
      health: () => ({
        stopping,
        stalledMs: undefined, // answered by the primary's own loop: it is turning
        workers: supervisor.listening,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 100) / 10,
        details: { workers: supervisor.listening },
      }),
      metrics: async () => {
        await scrapeWorkers(supervisor.alive, () => requests++, SCRAPE_TIMEOUT_MS);
        return workerMetrics.render(own.registry);
      },
    });
  } catch (error) {
    supervisor.kill();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopping = true;
      own.draining.set(1);
      if (config.shutdownDelayMs > 0) {
        logger.info(
          { shutdownDelayMs: config.shutdownDelayMs },
          'shutting down: /readyz answers 503, workers still serving',
        );
        await sleep(config.shutdownDelayMs);
      }
      await supervisor.stop(config.drainTimeoutMs + STOP_GRACE_MS);
      await ops.close();
    })();
    return closing;
  };
  return {
    guessPort,
    httpPort: ops.port,
    maxConnections,
    close,
    [Symbol.asyncDispose]: close,
  };
}
