import type { GcdPair } from '../types.js';

/**
 * The ten pairs of the book chapter's gcd benchmark (Item 64, its `NUMBERS`), in its
 * order. Their gcds are 1, 1, 5, 1, 32, 1, 14, 9, 1, 9; the naive countdown takes about
 * 20.6 million steps for all ten.
 */
export const CHAPTER_NUMBERS: readonly (readonly [number, number])[] = Object.freeze([
  [1963309, 2265973],
  [2030677, 3814172],
  [1551645, 2229620],
  [2039045, 2020802],
  [1823712, 1924928],
  [2293129, 1020491],
  [1281238, 2273782],
  [3823812, 4237281],
  [3812741, 4729139],
  [1292391, 2123811],
] as const);

/**
 * The chapter's ten pairs repeated `scale` times (10 × scale pairs), to make a run long
 * enough to measure.
 *
 * @throws RangeError unless `scale` is a positive integer.
 * @example
 * chapterPairs(3).length; // 30
 */
export function chapterPairs(scale = 1): GcdPair[] {
  if (!Number.isSafeInteger(scale) || scale < 1) {
    throw new RangeError(`scale must be a positive integer, got ${String(scale)}`);
  }
  const pairs: GcdPair[] = [];
  for (let k = 0; k < scale; k++) {
    for (const pair of CHAPTER_NUMBERS) pairs.push(pair);
  }
  return pairs;
}
