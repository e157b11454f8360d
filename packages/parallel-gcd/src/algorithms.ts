import { gcdBinary } from './binary.js';
import { gcdEuclid } from './euclid.js';
import { absPair } from './integers.js';
import { checkNaive, gcdNaive } from './naive.js';
import { GCD_ALGORITHMS, type GcdAlgorithm, type GcdPair, type GcdValue } from './types.js';

// A pair's halves always share a type (see GcdPair); each function checks that again.
type PairGcd = (a: number | bigint, b: number | bigint) => GcdValue;

const IMPLEMENTATIONS: Record<GcdAlgorithm, PairGcd> = {
  naive: gcdNaive as PairGcd,
  euclid: gcdEuclid as PairGcd,
  binary: gcdBinary as PairGcd,
};

/**
 * The gcd of one pair by the named algorithm.
 *
 * @example
 * gcdOf([1823712, 1924928], 'euclid'); // 32
 */
export function gcdOf(pair: GcdPair, algorithm: GcdAlgorithm): GcdValue {
  return IMPLEMENTATIONS[algorithm](pair[0], pair[1]);
}

/**
 * Checks a run's input before any timing starts: a known algorithm, well-typed pairs and,
 * for `naive`, no pair above `NAIVE_LIMIT`. Errors name the pair's index, so a refusal comes
 * at once and with its own class even when the work would have run in a worker thread.
 */
export function checkPairs(pairs: readonly GcdPair[], algorithm: GcdAlgorithm): void {
  if (!GCD_ALGORITHMS.includes(algorithm)) {
    throw new RangeError(
      `unknown gcd algorithm ${JSON.stringify(algorithm)}; expected one of ${GCD_ALGORITHMS.join(', ')}`,
    );
  }
  pairs.forEach((pair, index) => {
    absPair(`pair #${index + 1}`, pair[0], pair[1]);
    if (algorithm === 'naive') checkNaive(pair[0], pair[1], index);
  });
}
