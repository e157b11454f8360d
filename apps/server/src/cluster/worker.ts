import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { ClusterMessage } from './messages.js';
import { isClusterMessage } from './messages.js';
import type { ServerConfig } from '../config.js';
import { watchServiceEventLoop } from '../event-loop.js';
import { startGuessService } from '../guess-service.js';
import type { Logger } from '../logger.js';
import { createServiceMetrics } from '../metrics.js';
import { exitOnSignals } from '../shutdown.js';

/**
 * Runs one cluster worker: the guess server on the port shared through node:cluster, its
 * metrics labelled `worker="<id>"` and answered to the primary's aggregation requests.
 * Drains and exits 0 when the primary says so, on SIGTERM/SIGINT, or when the primary dies.
 */
export async function runClusterWorker(config: ServerConfig, logger: Logger): Promise<void> {
  const send = (message: ClusterMessage): void => {
    if (process.connected) process.send?.(message);
  };
  const workerId = String(cluster.worker?.id ?? 0);
  const metrics = createServiceMetrics({ defaultLabels: { worker: workerId } });
  AggregatorRegistry.setRegistries([metrics.registry]);
  // Constructing one installs prom-client's worker-side listener for metric requests.
  new AggregatorRegistry();
  const loop = watchServiceEventLoop({ metrics, logger, thresholdMs: config.slowCallbackMs });

  let guess: Awaited<ReturnType<typeof startGuessService>>;
  try {
    guess = await startGuessService({ config, port: config.guessPort, logger, metrics });
  } catch (error) {
    logger.error({ err: error }, 'worker could not start');
    send({ type: 'fanout:start-failed', message: String((error as Error).message ?? error) });
    loop.stop();
    process.exit(1);
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      metrics.draining.set(1);
      try {
        await guess.close(config.drainTimeoutMs);
      } finally {
        loop.stop();
      }
    })();
    return closing;
  };
  const exitWhenClosed = (): void => {
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'worker drain failed');
        process.exit(1);
      },
    );
  };
  exitOnSignals({ close, logger, forceAfterMs: config.drainTimeoutMs + 5_000 });
  process.on('message', (message: unknown) => {
    if (isClusterMessage(message) && message.type === 'fanout:drain') exitWhenClosed();
  });
  // An orphaned worker must not serve on: its primary can neither replace nor stop it.
  process.on('disconnect', () => {
    if (closing === undefined) logger.warn('primary is gone: draining');
    exitWhenClosed();
  });

  logger.info({ guessPort: guess.port }, 'worker listening');
  send({ type: 'fanout:listening', guessPort: guess.port });
}
