import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerConfig } from '../config/config.js';
import type { Logger } from '../logger.js';
import { type ServingProcess, startServingProcess } from '../serving-process.js';
import { exitOnSignals } from '../shutdown.js';
import { type ClusterMessage, isClusterMessage } from './messages.js';

/** How often a worker pushes its metrics, so the primary loses at most this much when it dies. */
export const METRICS_PUSH_MS = 1_000;

/**
 * Runs one cluster worker: the guess server on the port shared through node:cluster, its
 * metrics sent to the primary on request and pushed every second (so the primary keeps
 * what it counted if it dies). Drains and exits 0 when the primary says so (at once), on
 * SIGTERM/SIGINT (after `--shutdown-delay`), or when the primary dies.
 */
export async function runClusterWorker(config: ServerConfig, logger: Logger): Promise<void> {
  const send = (message: ClusterMessage): void => {
    if (process.connected) process.send?.(message);
  };
  let serving: ServingProcess;
  try {
    serving = await startServingProcess(config, logger, { servesHttp: false });
  } catch (error) {
    logger.error({ err: error }, 'worker could not start');
    send({ type: 'fanout:start-failed', message: String((error as Error).message ?? error) });
    process.exit(1);
  }
  const { guess, metrics, budget } = serving;
  const sendMetrics = (id: number): void => {
    metrics.registry.getMetricsAsJSON().then(
      (snapshot) => send({ type: 'fanout:metrics', id, metrics: snapshot }),
      (error: unknown) => logger.warn({ err: error }, 'could not collect metrics'),
    );
  };
  const push = setInterval(() => sendMetrics(-1), METRICS_PUSH_MS);
  push.unref();

  let closing: Promise<void> | undefined;
  const drain = (): Promise<void> => {
    closing ??= (async () => {
      metrics.draining.set(1);
      try {
        await serving.close(config.drainTimeoutMs);
      } finally {
        clearInterval(push);
      }
    })();
    return closing;
  };
  const exitWhenDrained = (): void => {
    drain().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'worker drain failed');
        process.exit(1);
      },
    );
  };
  // Signalled directly (the whole process group, say): the same delay as the primary's.
  exitOnSignals({
    close: async () => {
      metrics.draining.set(1);
      if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
      await drain();
    },
    logger,
    forceAfterMs: config.shutdownDelayMs + config.drainTimeoutMs + 5_000,
  });
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message)) return;
    if (message.type === 'fanout:drain') exitWhenDrained();
    else if (message.type === 'fanout:metrics-request') sendMetrics(message.id);
  });
  // An orphaned worker must not serve on: its primary can neither replace nor stop it.
  process.on('disconnect', () => {
    if (closing === undefined) logger.warn('primary is gone: draining');
    exitWhenDrained();
  });

  logger.info({ guessPort: guess.port, maxConnections: budget.maxConnections }, 'worker listening');
  send({ type: 'fanout:listening', guessPort: guess.port, maxConnections: budget.maxConnections });
  sendMetrics(-1);
}
