/**
 * Every error `@fanout/parallel-gcd` throws for a caller to act on. Each has a stable `code`,
 * on the instance and on the class (`error.code === PairsSyntaxError.code`). Invalid
 * arguments (a chunk size of 0) are `RangeError`s: bugs in the caller.
 */
import { describeInteger } from './algorithms/bits.js';
import type { GcdValue } from './types.js';

/** Longest excerpt of an input line an error message quotes. */
const QUOTED_CHARS = 60;

/** `text` cut to at most 60 characters (with `…` when cut), for error messages. */
function excerpt(text: string): string {
  return text.length <= QUOTED_CHARS ? text : `${text.slice(0, QUOTED_CHARS - 1)}…`;
}

/**
 * A line of a pairs file is not `A B` or `A,B` with two integers, or is longer than the
 * reader accepts. Carries where (source, 1-based line and column) and what (the line's
 * content) so a caller can point at it; the message quotes at most 60 characters of it.
 */
export class PairsSyntaxError extends SyntaxError {
  static readonly code = 'FANOUT_PAIRS_SYNTAX';
  readonly code = PairsSyntaxError.code;
  override readonly name = 'PairsSyntaxError';
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column of the first character that does not fit. */
  readonly column: number;
  /**
   * The offending line, as written (without its line break); for a line over the reader's
   * `maxLineLength`, only its first `maxLineLength` characters.
   */
  readonly content: string;
  /** What is wrong, without the position (`"x" is not an integer`). */
  readonly problem: string;
  /** Where the text came from (a file name, `-` for stdin), if the caller said. */
  readonly source: string | undefined;

  constructor(details: {
    line: number;
    column: number;
    content: string;
    source?: string | undefined;
    problem: string;
  }) {
    super(
      `${details.source ?? '<input>'}:${details.line}:${details.column}: ${details.problem} ` +
        `in ${JSON.stringify(excerpt(details.content))}; expected two integers as "A B" or "A,B"`,
    );
    this.problem = details.problem;
    this.line = details.line;
    this.column = details.column;
    this.content = details.content;
    this.source = details.source;
  }
}

/**
 * `gcdNaive` refused a pair whose countdown would take too long. Use `gcdEuclid` or
 * `gcdBinary` (CLI: `--algorithm euclid` or `--algorithm binary`), which give the same
 * result in microseconds.
 */
export class NaiveTooLargeError extends RangeError {
  static readonly code = 'FANOUT_NAIVE_TOO_LARGE';
  readonly code = NaiveTooLargeError.code;
  override readonly name = 'NaiveTooLargeError';
  /** First value of the refused pair, as given. */
  readonly a: GcdValue;
  /** Second value of the refused pair, as given. */
  readonly b: GcdValue;
  /** The limit that min(|a|, |b|) exceeded (`NAIVE_LIMIT`). */
  readonly limit: number;
  /** Index of the pair in the run's input, when a runner refused it. */
  readonly index: number | undefined;

  constructor(a: GcdValue, b: GcdValue, options: { limit: number; index?: number }) {
    // Named by position and size: the values themselves may have millions of digits.
    const where = options.index === undefined ? 'a pair' : `pair #${options.index + 1}`;
    super(
      `gcdNaive would count down from min(|a|, |b|) for ${where} ` +
        `(${describeInteger(a)}, ${describeInteger(b)}), above the limit of ${options.limit}; ` +
        'use --algorithm euclid or --algorithm binary (gcdEuclid / gcdBinary) for inputs this large',
    );
    this.a = a;
    this.b = b;
    this.limit = options.limit;
    this.index = options.index;
  }
}

/**
 * Two runs over the same pairs gave different results: a bug, never expected. Names the
 * first differing position and both values.
 */
export class ResultsMismatchError extends Error {
  static readonly code = 'FANOUT_RESULTS_MISMATCH';
  readonly code = ResultsMismatchError.code;
  override readonly name = 'ResultsMismatchError';
  /** Position of the first pair whose results differ. */
  readonly index: number;
  /** The results at that position, by run mode (`undefined` where a run had none). */
  readonly values: Readonly<Record<string, GcdValue | undefined>>;

  constructor(index: number, values: Readonly<Record<string, GcdValue | undefined>>) {
    const shown = Object.entries(values)
      .map(([mode, value]) => `${mode} ${value === undefined ? 'none' : describeInteger(value)}`)
      .join(', ');
    super(`runs disagree at pair #${index + 1}: ${shown}`);
    this.index = index;
    this.values = values;
  }
}

/**
 * The pairs could not be read: the file is missing, is a directory, is not readable, or
 * the stream failed. Carries the source as given (`-` for stdin) and the system error
 * code (`ENOENT`, `EISDIR`, `EACCES`, …) in `systemCode`; the system error is the `cause`.
 */
export class PairsSourceError extends Error {
  static readonly code = 'FANOUT_PAIRS_SOURCE';
  readonly code = PairsSourceError.code;
  override readonly name = 'PairsSourceError';
  /** Where the pairs were to come from: a file name as given, or `-` for stdin. */
  readonly source: string;
  /** The system error code, if the failure had one (`EISDIR` for a directory). */
  readonly systemCode: string | undefined;
  /** What went wrong, in words (`is a directory`), without the source. */
  readonly reason: string;

  constructor(source: string, cause: unknown) {
    const systemCode = systemCodeOf(cause);
    const reason =
      (systemCode && SYSTEM_REASONS[systemCode]) ??
      (cause instanceof Error ? cause.message : String(cause));
    super(`cannot read pairs from ${source}: ${reason}`, { cause });
    this.source = source;
    this.systemCode = systemCode;
    this.reason = reason;
  }
}

const SYSTEM_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, expected a pairs file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

function systemCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && !code.startsWith('FANOUT_') ? code : undefined;
}
