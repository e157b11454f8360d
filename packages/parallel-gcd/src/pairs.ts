import { PairsSyntaxError } from './errors.js';
import type { GcdPair } from './types.js';

/** Options of `parsePairs`. */
export interface ParsePairsOptions {
  /** Named in error messages: a file name, or `-` for stdin. */
  readonly source?: string;
}

const INTEGER = /^[+-]?\d+$/;
// One token: anything up to whitespace or a comma.
const TOKEN = /[^\s,]+/g;

/**
 * Parses pairs, one per line, as `A B` or `A,B` (spaces around the comma allowed).
 * `#` starts a comment that runs to the end of the line; blank lines are skipped. Integers
 * may have a sign and any number of digits: a pair is two numbers when both are safe
 * integers, else two bigints.
 *
 * @throws PairsSyntaxError naming the first bad line (number, column, content).
 * @example
 * parsePairs('# a comment\n12 18\n-4,6\n3 18446744073709551617\n');
 * // [[12, 18], [-4, 6], [3n, 18446744073709551617n]]
 */
export function parsePairs(text: string, options: ParsePairsOptions = {}): GcdPair[] {
  const pairs: GcdPair[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((content, i) => {
    const hash = content.indexOf('#');
    const body = hash === -1 ? content : content.slice(0, hash);
    if (body.trim() === '') return;
    const fail = (column: number, problem: string): never => {
      throw new PairsSyntaxError({ line: i + 1, column, content, source: options.source, problem });
    };
    checkSeparators(body, fail);
    const tokens = [...body.matchAll(TOKEN)];
    for (const token of tokens.slice(0, 2)) {
      if (!INTEGER.test(token[0]))
        fail(token.index + 1, `${JSON.stringify(token[0])} is not an integer`);
    }
    const [first, second, extra] = tokens;
    if (extra !== undefined) fail(extra.index + 1, 'more than two values');
    if (first === undefined || second === undefined)
      fail(body.trimEnd().length + 1, 'only one value');
    pairs.push(toPair(BigInt(first![0]), BigInt(second![0])));
  });
  return pairs;
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
