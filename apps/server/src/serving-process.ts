import type { ServerConfig } from './config/config.js';
import { watchServiceEventLoop } from './event-loop.js';
import { type ConnectionBudget, currentConnectionBudget, logConnectionBudget } from './fd-limit.js';
import { watchFileDescriptors } from './fd-watch.js';
import { type GuessService, startGuessService } from './guess-service.js';
import type { Logger } from './logger.js';
import { createServiceMetrics, type ServiceMetrics } from './metrics.js';

/** What serves games in one process (alone, or as a cluster worker). */
export interface ServingProcess {
  readonly guess: GuessService;
  readonly metrics: ServiceMetrics;
  /** The connection limits this process works with. */
  readonly budget: ConnectionBudget;
  /** Drains the guess server (see `GuessService.close`) and stops the watches. Idempotent. */
  close(drainTimeoutMs: number): Promise<void>;
}

/**
 * The part every serving process has: its connection limits from the open-file limit
 * (logged, with a warning when `--max-connections` does not fit), its metrics, the watches
 * on its event loop and its file descriptors, and the guess server itself.
 */
export async function startServingProcess(
  config: ServerConfig,
  logger: Logger,
  options: { readonly servesHttp: boolean },
): Promise<ServingProcess> {
  const budget = currentConnectionBudget(config.maxConnections, options.servesHttp);
  logConnectionBudget(budget, logger);
  const metrics = createServiceMetrics();
  const loop = watchServiceEventLoop({ metrics, logger, thresholdMs: config.slowCallbackMs });
  const fds = watchFileDescriptors({ metrics, logger });
  const stopWatches = (): void => {
    loop.stop();
    fds.stop();
  };
  let guess: GuessService;
  try {
    guess = await startGuessService({
      config,
      port: config.guessPort,
      maxConnections: budget.maxConnections,
      logger,
      metrics,
    });
  } catch (error) {
    stopWatches();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    guess,
    metrics,
    budget,
    close(drainTimeoutMs) {
      closing ??= guess.close(drainTimeoutMs).finally(stopWatches);
      return closing;
    },
  };
}
