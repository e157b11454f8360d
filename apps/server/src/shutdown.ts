import type { Logger } from './logger.js';

/** Options of `exitOnSignals`. */
export interface ShutdownOptions {
  /** Graceful stop: drain, then release everything. Called once, on the first signal. */
  readonly close: () => Promise<void>;
  readonly logger: Logger;
  /** Signals that start the shutdown. Default SIGTERM and SIGINT. */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * If the graceful stop has not finished after this long, exit 1 anyway (a stuck close
   * must not keep a process alive that its supervisor asked to stop).
   */
  readonly forceAfterMs: number;
  /** Ends the process. Default `process.exit`; replaced in tests. */
  readonly exit?: (code: number) => void;
}

/**
 * Installs the process's shutdown policy: on the first SIGTERM or SIGINT, log it, run the
 * graceful `close` (stop accepting, `/healthz` 503, drain games up to the drain timeout) and
 * exit 0; exit 1 if `close` fails or outlasts `forceAfterMs`. A second signal exits 1 at
 * once, for an operator who does not want to wait. Returns a function that removes the
 * handlers.
 *
 * @example
 * ```ts
 * exitOnSignals({ close: () => server.close(), logger, forceAfterMs: 15_000 });
 * ```
 */
export function exitOnSignals(options: ShutdownOptions): () => void {
  const { logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let started = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (started) {
      logger.warn({ signal }, 'second signal: exiting without waiting for the drain');
      exit(1);
      return;
    }
    started = true;
    logger.info({ signal }, 'shutting down: draining');
    const force = setTimeout(() => {
      logger.error({ forceAfterMs: options.forceAfterMs }, 'shutdown took too long: exiting');
      exit(1);
    }, options.forceAfterMs);
    force.unref();
    options.close().then(
      () => {
        clearTimeout(force);
        logger.info('stopped');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(force);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
