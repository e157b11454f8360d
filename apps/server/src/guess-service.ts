import { type GuessServerEvent, createGuessServer } from '@fanout/guess-protocol';
import type { ServerConfig } from './config/config.js';
import type { Logger } from './logger.js';
import type { ServiceMetrics } from './metrics.js';

/** Options of `startGuessService`. */
export interface GuessServiceOptions {
  readonly config: ServerConfig;
  /** Port to bind (the config's, or the one a cluster primary settled on). */
  readonly port: number;
  /** The guess connection limit in force (see `connectionBudget`). */
  readonly maxConnections: number;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
}

/** The guess TCP server of one process, observed through logs and metrics. */
export interface GuessService {
  /** The port it listens on. */
  readonly port: number;
  /** Guess connections open now. */
  readonly connections: number;
  /**
   * Stops accepting, lets games in progress go on for up to `drainTimeoutMs`, then closes
   * the remaining connections. Idempotent.
   */
  close(drainTimeoutMs: number): Promise<void>;
}

/**
 * Starts `@fanout/guess-protocol`'s server with the operator's limits and turns its events
 * into metrics and log lines: `Server: N is Decision` at debug level (as the seed prints
 * them), connection errors at warn, rejected connections counted by reason.
 */
export async function startGuessService(options: GuessServiceOptions): Promise<GuessService> {
  const { config, logger, metrics } = options;
  const warn = rateLimitedWarn(logger, WARNINGS_PER_SECOND);
  const server = createGuessServer({
    host: config.host,
    port: options.port,
    strategy: config.strategy,
    maxConnections: options.maxConnections,
    idleTimeoutMs: config.idleTimeoutMs,
    maxLineBytes: config.maxLineBytes,
    onEvent: (event) => observe(event, warn, logger, metrics),
  });
  const address = await server.listen();
  metrics.connectionsOpen.set(0);
  metrics.maxConnections.set(options.maxConnections);

  let closing: Promise<void> | undefined;
  return {
    port: address.port,
    get connections() {
      return server.connections;
    },
    close(drainTimeoutMs) {
      if (closing === undefined) closing = server.close({ drainTimeoutMs });
      return closing;
    },
  };
}

/** Above this, warnings about clients are summarised: a flood must not turn into a log flood. */
const WARNINGS_PER_SECOND = 20;

type Warn = (fields: Record<string, unknown>, message: string) => void;

/** A `logger.warn` that writes at most `perSecond` lines a second and counts the rest. */
function rateLimitedWarn(logger: Logger, perSecond: number): Warn {
  let windowStart = 0;
  let written = 0;
  let suppressed = 0;
  return (fields, message) => {
    const now = Date.now();
    if (now - windowStart >= 1000) {
      if (suppressed > 0) logger.warn({ suppressed }, 'client warnings suppressed');
      windowStart = now;
      written = 0;
      suppressed = 0;
    }
    if (written < perSecond) {
      written++;
      logger.warn(fields, message);
    } else {
      suppressed++;
    }
  };
}

function observe(
  event: GuessServerEvent,
  warn: Warn,
  logger: Logger,
  metrics: ServiceMetrics,
): void {
  switch (event.type) {
    case 'connection-open':
      metrics.sessions.inc();
      metrics.connectionsOpen.set(event.connections);
      logger.trace(
        { connectionId: event.connectionId, remote: event.remoteAddress },
        'connection open',
      );
      return;
    case 'connection-close':
      metrics.connectionsOpen.set(event.connections);
      logger.trace(
        { connectionId: event.connectionId, reason: event.reason, durationMs: event.durationMs },
        'connection closed',
      );
      return;
    case 'connection-rejected':
      if (event.reason === 'max-connections') {
        metrics.errors.inc({ code: 'server-busy' });
        warn({ remote: event.remoteAddress, reason: event.reason }, 'connection rejected');
      } else {
        // Turned away while draining: expected during a shutdown, not an error.
        logger.debug({ remote: event.remoteAddress, reason: event.reason }, 'connection rejected');
      }
      return;
    case 'accept-error':
      // The OS refused to hand over a connection (EMFILE, ENFILE...); the server keeps going.
      // Node since 20 no longer reports these on Linux (see fd-watch.ts), others may.
      metrics.errors.inc({ code: 'accept-error' });
      warn({ err: event.error }, 'could not accept a connection');
      return;
    case 'backpressure':
      logger.trace(
        { connectionId: event.connectionId, paused: event.paused },
        'connection backpressure',
      );
      return;
    case 'session-start':
      logger.debug(
        { connectionId: event.connectionId, lower: event.lower, upper: event.upper },
        'game started',
      );
      return;
    case 'report':
      metrics.roundTrip.observe(event.roundTripMs / 1000);
      logger.debug(
        { connectionId: event.connectionId, number: event.number, decision: event.decision },
        event.text,
      );
      return;
    case 'game-completed':
      metrics.gamesCompleted.inc();
      metrics.guessesPerGame.observe(event.guesses);
      return;
    case 'error':
      metrics.errors.inc({ code: event.code });
      // Fatal errors end a connection (limits, abuse): worth a warning. Others are the
      // client's mistakes that the protocol answers and survives.
      if (event.fatal) {
        warn(
          { connectionId: event.connectionId, code: event.code, detail: event.message },
          'connection error',
        );
      } else {
        logger.debug(
          { connectionId: event.connectionId, code: event.code, detail: event.message },
          'protocol error',
        );
      }
      return;
    default:
      // 'number', 'listening', 'closed' and any kind added later: nothing to record.
      return;
  }
}
