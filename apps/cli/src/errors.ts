/**
 * Errors the CLI raises itself, and the single mapping from any error to an exit code and
 * a one-line message. User errors (bad flag value, bad input file, port in use) exit 2;
 * everything else exits 1. Stack traces are never printed.
 */

/** Exit codes of the `fanout` command (see CLI.md). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  sigint: 130,
  sigterm: 143,
} as const;

/** Bad usage detected by the CLI itself (a flag combination, a flag value). Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command whose package does not yet export what the CLI needs. Exit 1. */
export class NotAvailableError extends Error {
  override name = 'NotAvailableError';
}

/**
 * Names of error classes from the packages that mean "the user gave us bad input".
 * Matched by name (and along the prototype chain) so a subclass of one counts too.
 */
const USER_ERROR_NAMES = new Set([
  'UsageError',
  'PatternSyntaxError',
  'RleSyntaxError',
  'CellsSyntaxError',
  'Life106SyntaxError',
  'RuleSyntaxError',
  'UnknownPatternError',
  'PairsSyntaxError',
  'NaiveTooLargeError',
  'InvalidRangeError',
  'CheckpointError',
  'InputError',
]);

/** System error codes that come from what the user asked for (a path, an address). */
const USER_ERROR_CODES: Record<string, string> = {
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

function classNames(error: Error): string[] {
  const names: string[] = [error.name];
  let proto: unknown = Object.getPrototypeOf(error);
  while (proto && proto !== Error.prototype && proto !== Object.prototype) {
    const ctor = (proto as { constructor?: { name?: string } }).constructor;
    if (ctor?.name) names.push(ctor.name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Walks `cause` chains to find a system error code the user can act on. */
function findSystemError(error: unknown): (Error & SystemErrorLike) | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as SystemErrorLike).code;
    if (typeof code === 'string' && code in USER_ERROR_CODES) {
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
  if (classNames(error).some((name) => USER_ERROR_NAMES.has(name))) {
    return { exitCode: ExitCode.usage, message: oneLine(error.message) };
  }
  const system = findSystemError(error);
  if (system) {
    const code = system.code as string;
    const what = USER_ERROR_CODES[code] ?? code;
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
