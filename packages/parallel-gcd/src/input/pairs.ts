import { PairsSyntaxError } from '../errors.js';
import type { GcdPair } from '../types.js';

/** Options of `parsePairs`. */
export interface ParsePairsOptions {
  /** Named in error messages: a file name, or `-` for stdin. */
  readonly source?: string;
}

const INTEGER = /^[+-]?\d+$/;
// One token: anything up to whitespace or a comma.
const TOKEN = /[^\s,]+/g;
// The common line, two integers of at most 15 digits (below 2^53, so Number() is exact).
const SHORT_PAIR = /^\s*([+-]?\d{1,15})(?:\s*,\s*|\s+)([+-]?\d{1,15})\s*$/;

/**
 * Parses pairs, one per line, as `A B` or `A,B` (spaces around the comma allowed).
 * `#` starts a comment that runs to the end of the line; blank lines are skipped. Integers
 * may have a sign and any number of digits: a pair is two numbers when both are safe
 * integers, else two bigints. For a file or stdin, `readPairsFile` and `readPairs` read the
 * same format as a stream, without holding the text.
 *
 * @throws PairsSyntaxError naming the first bad line (number, column, content).
 * @example
 * parsePairs('# a comment\n12 18\n-4,6\n3 18446744073709551617\n');
 * // [[12, 18], [-4, 6], [3n, 18446744073709551617n]]
 */
export function parsePairs(text: string, options: ParsePairsOptions = {}): GcdPair[] {
  const pairs: GcdPair[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const pair = parsePairLine(lines[i]!, i + 1, options.source);
    if (pair !== undefined) pairs.push(pair);
  }
  return pairs;
}

/**
 * Parses one line of a pairs file (without its line break): the pair, or `undefined` for a
 * blank or comment-only line.
 *
 * @throws PairsSyntaxError naming `line` (1-based) and `source`.
 */
export function parsePairLine(
  content: string,
  line: number,
  source: string | undefined,
): GcdPair | undefined {
  const hash = content.indexOf('#');
  const body = hash === -1 ? content : content.slice(0, hash);
  const short = SHORT_PAIR.exec(body);
  // `|| 0` turns -0 into 0, as BigInt('-0') would.
  if (short !== null) return [Number(short[1]) || 0, Number(short[2]) || 0];
  if (body.trim() === '') return undefined;
  const fail = (column: number, problem: string): never => {
    throw new PairsSyntaxError({ line, column, content, source, problem });
  };
  checkSeparators(body, fail);
  const tokens = [...body.matchAll(TOKEN)];
  for (const token of tokens.slice(0, 2)) {
    if (!INTEGER.test(token[0])) fail(token.index + 1, `${quote(token[0])} is not an integer`);
  }
  const [first, second, extra] = tokens;
  if (extra !== undefined) fail(extra.index + 1, 'more than two values');
  if (first === undefined || second === undefined)
    fail(body.trimEnd().length + 1, 'only one value');
  return toPair(BigInt(first![0]), BigInt(second![0]));
}

/** A token as a message quotes it: JSON, cut after 40 characters. */
function quote(token: string): string {
  return JSON.stringify(token.length <= 40 ? token : `${token.slice(0, 39)}…`);
}

/** At most one comma, and only between the two values. */
function checkSeparators(body: string, fail: (column: number, problem: string) => never): void {
  const trimmed = body.trim();
  const start = body.indexOf(trimmed);
  if (trimmed.startsWith(',')) fail(start + 1, 'a comma before the first value');
  if (trimmed.endsWith(',')) fail(start + trimmed.length, 'a comma after the last value');
  const second = body.indexOf(',', body.indexOf(',') + 1);
  if (second !== -1 && body.indexOf(',') !== -1) fail(second + 1, 'more than one comma');
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function toPair(a: bigint, b: bigint): GcdPair {
  const safe = (v: bigint): boolean => v <= MAX_SAFE && v >= -MAX_SAFE;
  return safe(a) && safe(b) ? [Number(a), Number(b)] : [a, b];
}
