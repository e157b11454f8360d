/**
 * The codes sent on the wire as `ERROR <code> <message>` (our extension to the seed's
 * protocol), plus `bad-reply`, which only the client raises for a line it cannot read.
 * A {@link ProtocolError} carries one as `reason`; its `code` is the package's error code,
 * `FANOUT_PROTOCOL`, like every other fanout error.
 *
 * @example
 * ```ts
 * if (err instanceof ProtocolError && err.reason === WireErrorCode.NoGame) { ... }
 * ```
 */
export const WireErrorCode = {
  /** The line's first word is not PARAMS, NUMBER or REPORT. */
  UnknownCommand: 'unknown-command',
  /** The command is known but its arguments are missing, extra or malformed. */
  BadArguments: 'bad-arguments',
  /** NUMBER or REPORT before a PARAMS that opened a game (or after one that cleared it). */
  NoGame: 'no-game',
  /** REPORT before any NUMBER in the current game. */
  NoGuess: 'no-guess',
  /** Every number in the range was already guessed (the seed's server loops forever here). */
  Exhausted: 'exhausted',
  /** PARAMS spans more numbers than the server's `maxRange`. */
  RangeTooLarge: 'range-too-large',
  /** A line longer than `maxLineBytes`; the server closes the connection after it. */
  LineTooLong: 'line-too-long',
  /** Too many errors in a row; the server closes the connection after it. */
  TooManyErrors: 'too-many-errors',
  /** The connection was silent for `idleTimeoutMs`; the server closes it after this line. */
  IdleTimeout: 'idle-timeout',
  /** The server is at `maxConnections`; it closes the new connection after this line. */
  ServerBusy: 'server-busy',
  /** Client side only: the server sent a line that is neither an integer nor an ERROR line. */
  BadReply: 'bad-reply',
} as const;

/** One of the {@link WireErrorCode} values. */
export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode];

const CODES = new Set<string>(Object.values(WireErrorCode));

/** True when `value` is one of the {@link WireErrorCode} values. */
export function isWireErrorCode(value: string): value is WireErrorCode {
  return CODES.has(value);
}

/** Wire codes after which the server closes the connection. */
export const FATAL_WIRE_ERROR_CODES: ReadonlySet<WireErrorCode> = new Set<WireErrorCode>([
  WireErrorCode.LineTooLong,
  WireErrorCode.TooManyErrors,
  WireErrorCode.IdleTimeout,
  WireErrorCode.ServerBusy,
]);

/**
 * @deprecated Renamed {@link WireErrorCode} (an error's `code` is always a `FANOUT_…`
 * code; these are the wire's). Kept as an alias until the next minor version.
 */
export const ErrorCode = WireErrorCode;
/** @deprecated Renamed {@link WireErrorCode}. */
export type ErrorCode = WireErrorCode;
/** @deprecated Renamed {@link isWireErrorCode}. */
export const isErrorCode = isWireErrorCode;
/** @deprecated Renamed {@link FATAL_WIRE_ERROR_CODES}. */
export const FATAL_ERROR_CODES = FATAL_WIRE_ERROR_CODES;

/**
 * A protocol-level error: a command the session cannot accept (server side), or an
 * `ERROR` line / unreadable reply received from the server (client side).
 *
 * @example
 * ```ts
 * try { parseCommand('JUMP'); } catch (err) {
 *   if (err instanceof ProtocolError) console.log(err.reason); // 'unknown-command'
 * }
 * ```
 */
export class ProtocolError extends Error {
  static readonly code = 'FANOUT_PROTOCOL';
  readonly code = ProtocolError.code;
  override readonly name = 'ProtocolError';
  /** What was wrong, as the wire's error code (`ERROR <reason> <message>`). */
  readonly reason: WireErrorCode;
  /** The offending line (sanitized, truncated), when there is one. */
  readonly line: string | undefined;

  constructor(
    reason: WireErrorCode,
    message: string,
    options?: { line?: string; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.line = options?.line;
  }
}

/**
 * The connection closed (or was closed) while a call was pending or was attempted
 * afterwards. `cause` holds the fatal {@link ProtocolError} or socket error, if any.
 */
export class ConnectionClosedError extends Error {
  static readonly code = 'FANOUT_CONNECTION_CLOSED';
  readonly code = ConnectionClosedError.code;
  override readonly name = 'ConnectionClosedError';
  constructor(message = 'guess connection closed', options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** Connecting, or waiting for a reply, took longer than `timeoutMs`. */
export class GuessTimeoutError extends Error {
  static readonly code = 'FANOUT_GUESS_TIMEOUT';
  readonly code = GuessTimeoutError.code;
  override readonly name = 'GuessTimeoutError';
  /** The limit that was exceeded. */
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super(`${what} timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}
