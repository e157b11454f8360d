/**
 * Errors the CLI raises itself, and the single mapping from any error to an exit code and
 * a one-line message, by error `code`. User errors (bad flag value, bad input file, port in
 * use) exit 2; everything else exits 1. Stack traces are never printed.
 */

/** Exit codes of the `fanout` command (see docs/cli.md). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  sigint: 130,
  sigterm: 143,
} as const;

/** Bad usage detected by the CLI itself (a flag combination, a flag value). Exit 2. */
export class UsageError extends Error {
  static readonly code = 'FANOUT_USAGE';
  readonly code = UsageError.code;
  override readonly name = 'UsageError';
}

/**
 * `fanout gcd --mode queue`: no `fanout worker` serves the queue, so nothing would run the
 * pairs. Exit 1.
 */
export class NoQueueWorkersError extends Error {
  static readonly code = 'FANOUT_NO_QUEUE_WORKERS';
  readonly code = NoQueueWorkersError.code;
  override readonly name = 'NoQueueWorkersError';
}

/** Why a command was asked to stop: the first SIGINT/SIGTERM (exit 130/143). */
export class InterruptedError extends Error {
  static readonly code = 'FANOUT_INTERRUPTED';
  readonly code = InterruptedError.code;
  override readonly name = 'InterruptedError';
  /** The signal that was received. */
  readonly signalName: 'SIGINT' | 'SIGTERM';

  constructor(signalName: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signalName}`);
    this.signalName = signalName;
  }
}

/**
 * Codes of the errors that mean "the usage or the input was wrong" (a flag, a file, a
 * line): exit 2. Every other fanout error code is a runtime failure (exit 1); the CLI's
 * tests check that every error class of every package is in exactly one of the two lists.
 * The codes are written out rather than read from the classes so that starting the CLI
 * does not load every package (and BullMQ with them) before it knows the command.
 */
export const USER_INPUT_CODES: ReadonlySet<string> = new Set([
  UsageError.code,
  'FANOUT_PATTERN_SYNTAX', // PatternSyntaxError
  'FANOUT_PATTERN_TOO_LARGE', // PatternTooLargeError
  'FANOUT_PATTERN_UNSUPPORTED', // PatternUnsupportedError
  'FANOUT_WORLD_TOO_LARGE', // WorldTooLargeError
  'FANOUT_RULE_SYNTAX', // RuleSyntaxError
  'FANOUT_UNKNOWN_PATTERN', // UnknownPatternError
  'FANOUT_PAIRS_SYNTAX', // PairsSyntaxError
  'FANOUT_PAIRS_SOURCE', // PairsSourceError
  'FANOUT_NAIVE_TOO_LARGE', // NaiveTooLargeError
  'FANOUT_INPUT', // InputError
  'FANOUT_CHECKPOINT', // CheckpointError
  'FANOUT_GENERATION_COUNT', // GenerationCountError
  'FANOUT_QUEUE_REDIS_URL', // RedisUrlError
  'FANOUT_QUEUE_NAME', // QueueNameError
]);

/** Codes of runtime failures: exit 1 (see `USER_INPUT_CODES`). */
export const RUNTIME_CODES: ReadonlySet<string> = new Set([
  InterruptedError.code,
  'FANOUT_QUEUE_FULL', // QueueFullError
  'FANOUT_EXECUTOR_CLOSED', // ExecutorClosedError
  'FANOUT_WORKER_CRASHED', // WorkerCrashedError
  'FANOUT_TIMEOUT', // TimeoutError
  'FANOUT_TASK_CLEARED', // TaskClearedError
  'FANOUT_ENGINE_CLOSED', // EngineClosedError
  'FANOUT_ENGINE_WORKER', // EngineWorkerError
  'FANOUT_PROTOCOL', // ProtocolError
  'FANOUT_CONNECTION_CLOSED', // ConnectionClosedError
  'FANOUT_GUESS_TIMEOUT', // GuessTimeoutError
  'FANOUT_RESULTS_MISMATCH', // ResultsMismatchError
  'FANOUT_OUTPUT_WRITE', // OutputWriteError
  'FANOUT_HASHLIFE_MEMORY', // HashLifeMemoryError
  NoQueueWorkersError.code,
  'FANOUT_QUEUE_CONNECTION_LOST', // QueueConnectionError
  'FANOUT_QUEUE_ATTEMPTS_EXCEEDED', // JobAttemptsExceededError
  'FANOUT_QUEUE_UNSUPPORTED_VALUE', // UnsupportedValueError
]);

/** System error codes that come from what the user asked for (a path, an address). */
const USER_SYSTEM_CODES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'address not available',
  ENOTFOUND: 'host not found',
};

interface SystemErrorLike {
  code?: unknown;
  path?: unknown;
  address?: unknown;
  port?: unknown;
  syscall?: unknown;
  hostname?: unknown;
}

/** The first fanout error code (`FANOUT_…`) along the error and its `cause` chain. */
function fanoutCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('FANOUT_')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Walks `cause` chains to find a system error code the user can act on. */
function findSystemError(error: unknown): (Error & SystemErrorLike) | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as SystemErrorLike).code;
    if (typeof code === 'string' && code in USER_SYSTEM_CODES) {
      return current as Error & SystemErrorLike;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** How the error boundary reports an error: exit code and the one line for stderr. */
export interface ErrorReport {
  exitCode: number;
  message: string;
}

/**
 * Maps any thrown value to an exit code and a one-line message (without the `error: `
 * prefix). User errors map to 2, everything else to 1.
 */
export function describeError(error: unknown): ErrorReport {
  if (!(error instanceof Error)) {
    return { exitCode: ExitCode.failure, message: oneLine(String(error)) };
  }
  const code = fanoutCode(error);
  if (code !== undefined && USER_INPUT_CODES.has(code)) {
    return { exitCode: ExitCode.usage, message: oneLine(error.message) };
  }
  const system = findSystemError(error);
  if (system) {
    const code = system.code as string;
    const what = USER_SYSTEM_CODES[code] ?? code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL') {
      const where =
        typeof system.address === 'string' && typeof system.port === 'number'
          ? `${system.address}:${system.port}`
          : oneLine(system.message);
      return { exitCode: ExitCode.usage, message: `cannot listen on ${where}: ${what}` };
    }
    if (code === 'ENOTFOUND') {
      const host = typeof system.hostname === 'string' ? system.hostname : oneLine(system.message);
      return { exitCode: ExitCode.usage, message: `${host}: ${what}` };
    }
    const path = typeof system.path === 'string' ? system.path : undefined;
    return {
      exitCode: ExitCode.usage,
      message: path ? `${path}: ${what}` : oneLine(system.message),
    };
  }
  const refused = findCode(error, 'ECONNREFUSED');
  if (refused && typeof refused.address === 'string' && typeof refused.port === 'number') {
    return {
      exitCode: ExitCode.failure,
      message: `cannot connect to ${refused.address}:${refused.port}: connection refused (is a server running?)`,
    };
  }
  return { exitCode: ExitCode.failure, message: oneLine(error.message || error.name) };
}

function findCode(error: unknown, code: string): (Error & SystemErrorLike) | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if ((current as SystemErrorLike).code === code) return current as Error & SystemErrorLike;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
