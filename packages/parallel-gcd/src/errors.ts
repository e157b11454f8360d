/**
 * Every error `@fanout/parallel-gcd` throws for a caller to act on. Each has a stable `code`,
 * on the instance and on the class (`error.code === PairsSyntaxError.code`). Invalid
 * arguments (a chunk size of 0) are `RangeError`s: bugs in the caller.
 */
import type { RunMode } from './run-types.js';
import type { GcdValue } from './types.js';

/**
 * A line of a pairs file is not `A B` or `A,B` with two integers. Carries where (source,
 * 1-based line and column) and what (the line's content) so a caller can point at it.
 */
export class PairsSyntaxError extends SyntaxError {
  static readonly code = 'FANOUT_PAIRS_SYNTAX';
  readonly code = PairsSyntaxError.code;
  override readonly name = 'PairsSyntaxError';
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column of the first character that does not fit. */
  readonly column: number;
  /** The offending line, as written (without its line break). */
  readonly content: string;
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
        `in ${JSON.stringify(details.content)}; expected two integers as "A B" or "A,B"`,
    );
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
    const where = options.index === undefined ? '' : ` (pair #${options.index + 1})`;
    super(
      `gcdNaive would count down from min(|a|, |b|) for (${a}, ${b})${where}, above the limit ` +
        `of ${options.limit}; use --algorithm euclid or --algorithm binary ` +
        '(gcdEuclid / gcdBinary) for inputs this large',
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
  /** The results at that position, by run. */
  readonly values: Partial<Record<RunMode, GcdValue | undefined>>;

  constructor(index: number, values: Partial<Record<RunMode, GcdValue | undefined>>) {
    const shown = Object.entries(values)
      .map(([mode, value]) => `${mode} ${String(value)}`)
      .join(', ');
    super(`runs disagree at pair #${index + 1}: ${shown}`);
    this.index = index;
    this.values = values;
  }
}
