/** The gcd algorithms this package implements, by the name the CLI uses (`--algorithm`). */
export type GcdAlgorithm = 'naive' | 'euclid' | 'binary';

/** Every algorithm name, in the order the benchmarks and `--help` list them. */
export const GCD_ALGORITHMS: readonly GcdAlgorithm[] = ['naive', 'euclid', 'binary'];

/**
 * One input pair. Both halves share a type: numbers while both are safe integers,
 * bigints as soon as either is past 2^53 (what `parsePairs` produces).
 */
export type GcdPair = readonly [number, number] | readonly [bigint, bigint];

/** One result: a number for number pairs, a bigint for bigint pairs. */
export type GcdValue = number | bigint;

/**
 * Tells whether a string names an algorithm of this package.
 *
 * @example
 * isGcdAlgorithm('binary'); // true
 */
export function isGcdAlgorithm(name: string): name is GcdAlgorithm {
  return (GCD_ALGORITHMS as readonly string[]).includes(name);
}
