import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';
import { WORKER_CONFIG_ENV, isClusterMessage } from './messages.js';
import type { ServerConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { type OpsHttpServer, startOpsHttp } from '../ops/http.js';
import type { RunningServer } from '../server.js';
import { defaultWebRoot } from '../server.js';
import { createStaticHandler } from '../static-files.js';

/** Options of `startCluster` that are not operator settings. */
export interface StartClusterOptions {
  readonly logger: Logger;
  /** Folder of the built Life viewer. Default: `web/` beside the built module. */
  readonly webRoot?: string;
  /** Script the workers run. Default: this process's main script (the bin). */
  readonly workerScript?: string;
}

/** A worker crashing sooner than this after its start counts as a crash loop. */
const STABLE_AFTER_MS = 10_000;
const MAX_RESTART_DELAY_MS = 5_000;
const CLEAN_EXIT_GRACE_MS = 250;

/**
 * Runs the cluster primary: forks `config.workers` processes that share the guess port,
 * serves `/healthz`, `/metrics` (every worker's metrics, labelled `worker="<id>"`, plus the
 * primary's own) and the viewer itself, replaces any worker that dies with a log line, and
 * on `close()` asks every worker to drain and waits for them.
 *
 * Workers that crash right after starting are replaced with a growing delay (up to 5 s),
 * so a broken deployment does not spin the CPU.
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

  const aggregator = new AggregatorRegistry();
  const own = new Registry();
  const workersUp = new Gauge({
    name: 'fanout_cluster_workers',
    help: 'Cluster workers listening on the guess port.',
    registers: [own],
  });
  const restarts = new Counter({
    name: 'fanout_cluster_worker_restarts_total',
    help: 'Workers that died unexpectedly and were replaced.',
    registers: [own],
  });

  let guessPort = config.guessPort;
  let draining = false;
  let fastCrashes = 0;
  const listening = new Set<Worker>();
  const started = new Map<Worker, number>();

  // Every worker, replacements included, asks for the configured port: node:cluster shares
  // one listening handle per (host, port) key, so asking a replacement for the concrete
  // port a `0` turned into would collide with that handle (EADDRINUSE).
  const workerEnv = { [WORKER_CONFIG_ENV]: JSON.stringify(config) };
  const fork = (): Worker => {
    const worker = cluster.fork(workerEnv);
    started.set(worker, Date.now());
    return worker;
  };

  cluster.on('message', (worker, message: unknown) => {
    if (!isClusterMessage(message) || message.type !== 'fanout:listening') return;
    if (guessPort !== 0 && message.guessPort !== guessPort) {
      // Only possible with port 0 after every worker died at once: the OS picked anew.
      logger.warn({ previous: guessPort, guessPort: message.guessPort }, 'guess port changed');
    }
    guessPort = message.guessPort;
    listening.add(worker);
    workersUp.set(listening.size);
  });

  // Initial workers: all must come up, or the start fails (bad port, bad config).
  await Promise.all(
    Array.from({ length: config.workers }, () => {
      const worker = fork();
      return new Promise<void>((resolve, reject) => {
        const onMessage = (message: unknown): void => {
          if (!isClusterMessage(message)) return;
          if (message.type === 'fanout:listening') done(resolve);
          if (message.type === 'fanout:start-failed') {
            done(() => reject(new Error(`worker could not start: ${message.message}`)));
          }
        };
        const onExit = (code: number | null, signal: string | null): void =>
          done(() => reject(new Error(`worker exited while starting (${signal ?? code})`)));
        const done = (settle: () => void): void => {
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          settle();
        };
        worker.on('message', onMessage);
        worker.on('exit', onExit);
      });
    }),
  ).catch((error: unknown) => {
    draining = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGKILL');
    throw error;
  });

  cluster.on('exit', (worker, code, signal) => {
    listening.delete(worker);
    workersUp.set(listening.size);
    const lived = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    const fields = {
      workerPid: worker.process.pid,
      workerId: worker.id,
      code,
      signal,
      livedMs: lived,
    };
    if (draining) {
      logger.info(fields, 'worker stopped');
      return;
    }
    fastCrashes = lived < STABLE_AFTER_MS ? fastCrashes + 1 : 0;
    const delayMs = restartDelayMs(fastCrashes, code === 0);
    setTimeout(() => {
      if (draining) {
        logger.info(fields, 'worker stopped');
        return;
      }
      restarts.inc();
      logger.error({ ...fields, delayMs }, 'worker died: replacing it');
      const replacement = fork();
      logger.info(
        { workerPid: replacement.process.pid, workerId: replacement.id },
        'worker forked',
      );
    }, delayMs).unref();
  });

  let ops: OpsHttpServer;
  try {
    ops = await startOpsHttp({
      host: config.host,
      port: config.httpPort,
      logger,
      staticFiles: createStaticHandler(options.webRoot ?? defaultWebRoot()),
      health: () => ({
        status: draining ? 'draining' : 'ok',
        uptimeSeconds: Math.round((Date.now() - startedAt) / 100) / 10,
        workers: listening.size,
      }),
      metrics: async () => {
        let workers = '';
        try {
          workers = await aggregator.clusterMetrics();
        } catch (error) {
          // A worker that just died leaves the request unanswered: report what we have.
          logger.warn({ err: error }, 'could not collect metrics from every worker');
        }
        return {
          contentType: own.contentType,
          body: `${workers.trimEnd()}\n\n${await own.metrics()}`,
        };
      },
    });
  } catch (error) {
    draining = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGKILL');
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      const alive = Object.values(cluster.workers ?? {}).filter(
        (w): w is Worker => w !== undefined,
      );
      await Promise.all(alive.map((worker) => stopWorker(worker, config.drainTimeoutMs + 3_000)));
      await ops.close();
    })();
    return closing;
  };
  return { guessPort, httpPort: ops.port, close, [Symbol.asyncDispose]: close };
}

/**
 * How long to wait before replacing a dead worker. The first crash is replaced at once;
 * crashes in a row, each within 10 s of the worker's start, wait 400 ms, 800 ms, ... up to
 * 5 s, so a broken deployment does not spin. A clean exit (code 0) means the worker itself
 * was told to stop, e.g. by a signal sent to the whole process group: wait a moment, as the
 * primary's own shutdown signal may be on its way.
 */
export function restartDelayMs(fastCrashes: number, cleanExit: boolean): number {
  const backoff = fastCrashes <= 1 ? 0 : Math.min(100 * 2 ** fastCrashes, MAX_RESTART_DELAY_MS);
  return Math.max(cleanExit ? CLEAN_EXIT_GRACE_MS : 0, backoff);
}

/** Asks a worker to drain; kills it if it has not exited after `graceMs`. */
function stopWorker(worker: Worker, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) {
      resolve();
      return;
    }
    const timer = setTimeout(() => worker.kill('SIGKILL'), graceMs);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (worker.isConnected()) worker.send({ type: 'fanout:drain' });
    else worker.kill('SIGTERM');
  });
}
