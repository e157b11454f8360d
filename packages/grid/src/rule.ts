import { RuleSyntaxError } from './errors.js';
/** A Life-like rule: which neighbour counts give birth to a dead cell and keep a live one. */
export interface LifeRule {
  /** Sorted, distinct neighbour counts (0–8) at which a dead cell becomes alive. */
  readonly birth: readonly number[];
  /** Sorted, distinct neighbour counts (0–8) at which a live cell stays alive. */
  readonly survival: readonly number[];
}

/** Conway's Game of Life, `B3/S23`. */
export const CONWAY: LifeRule = Object.freeze({
  birth: Object.freeze([3]),
  survival: Object.freeze([2, 3]),
});

function readCounts(
  text: string,
  digits: string,
  offset: number,
  part: 'birth' | 'survival',
): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < digits.length; i++) {
    const ch = digits[i] as string;
    const column = offset + i + 1;
    if (ch < '0' || ch > '9') {
      throw new RuleSyntaxError(
        text,
        column,
        `unexpected ${JSON.stringify(ch)} in the ${part} counts`,
      );
    }
    const n = Number(ch);
    if (n > 8) {
      throw new RuleSyntaxError(text, column, `${part} count ${n} is not a neighbour count (0-8)`);
    }
    if (seen.has(n)) {
      throw new RuleSyntaxError(text, column, `${part} count ${n} appears twice`);
    }
    seen.add(n);
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * Read a B/S rulestring. Accepts `B3/S23`, `b36/s23`, `B3S23`, `B2/S`, `S23/B3` and the old
 * survival/birth form `23/3`.
 *
 * @example
 * parseRule('B36/S23'); // { birth: [3, 6], survival: [2, 3] }  (HighLife)
 * @throws {RuleSyntaxError} saying what is wrong and where.
 */
export function parseRule(text: string): LifeRule {
  const trimmed = text.trim();
  const lead = text.indexOf(trimmed);
  if (trimmed === '') throw new RuleSyntaxError(text, 0, 'the rule is empty');
  const tagged = /^([bBsS])([^/sSbB]*)\/?([bBsS])([^/]*)$/.exec(trimmed);
  if (tagged) {
    const [, tag1, digits1, tag2, digits2] = tagged as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    const first = tag1.toUpperCase();
    const second = tag2.toUpperCase();
    if (first === second) {
      throw new RuleSyntaxError(text, 0, `"${first}" appears twice; expected B<counts>/S<counts>`);
    }
    const secondOffset = lead + trimmed.length - digits2.length;
    const a = readCounts(text, digits1, lead + 1, first === 'B' ? 'birth' : 'survival');
    const b = readCounts(text, digits2, secondOffset, second === 'B' ? 'birth' : 'survival');
    return first === 'B' ? freezeRule(a, b) : freezeRule(b, a);
  }
  const old = /^([^/]*)\/([^/]*)$/.exec(trimmed);
  if (old && !/[bBsS]/.test(trimmed)) {
    const [, survival, birth] = old as unknown as [string, string, string];
    const s = readCounts(text, survival, lead, 'survival');
    const b = readCounts(text, birth, lead + survival.length + 1, 'birth');
    return freezeRule(b, s);
  }
  const bad = /[^0-9bBsS/]/.exec(trimmed);
  if (bad) {
    throw new RuleSyntaxError(
      text,
      lead + bad.index + 1,
      `unexpected ${JSON.stringify(bad[0])}; expected B<counts>/S<counts> like B3/S23`,
    );
  }
  throw new RuleSyntaxError(text, 0, 'expected B<counts>/S<counts> like B3/S23');
}

function freezeRule(birth: number[], survival: number[]): LifeRule {
  return Object.freeze({ birth: Object.freeze(birth), survival: Object.freeze(survival) });
}

/**
 * Canonical rulestring of a rule.
 *
 * @example
 * formatRule(CONWAY); // 'B3/S23'
 */
export function formatRule(rule: LifeRule): string {
  return `B${[...rule.birth].sort((a, b) => a - b).join('')}/S${[...rule.survival].sort((a, b) => a - b).join('')}`;
}

/** True when both rules have the same birth and survival counts. */
export function rulesEqual(a: LifeRule, b: LifeRule): boolean {
  return formatRule(a) === formatRule(b);
}

/**
 * The rule as a 18-bit table: bit `n` = birth at `n` neighbours, bit `9 + n` = survival at `n`.
 * Engines use it to avoid array lookups in hot loops.
 */
export function ruleMask(rule: LifeRule): number {
  let mask = 0;
  for (const n of rule.birth) mask |= 1 << checkCount(n, 'birth');
  for (const n of rule.survival) mask |= 1 << (9 + checkCount(n, 'survival'));
  return mask;
}

function checkCount(n: number, part: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 8) {
    throw new RangeError(`${part} count ${n} is not a neighbour count (0-8)`);
  }
  return n;
}
