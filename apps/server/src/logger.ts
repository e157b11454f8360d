import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevelName } from './config/values.js';

export type { Logger } from 'pino';

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Minimum level written. */
  readonly level: LogLevelName;
  /** Where the JSON lines go. Default: stdout. */
  readonly destination?: DestinationStream;
  /** Fields added to every line, e.g. `{ worker: 2 }` in a cluster worker. */
  readonly base?: Readonly<Record<string, unknown>>;
}

/**
 * The service's structured logger: one JSON object per line (pino), with `pid`, `time`,
 * `level` as a label and `msg`. Writes synchronously, so nothing is lost when the
 * process exits right after a line.
 *
 * @example
 * ```ts
 * const log = createLogger({ level: 'info' });
 * log.info({ guessPort: 1234 }, 'listening');
 * ```
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: 'fanout-server',
      level: options.level,
      base: { pid: process.pid, ...options.base },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
