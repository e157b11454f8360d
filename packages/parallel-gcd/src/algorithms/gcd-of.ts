import { GCD_ALGORITHMS, type GcdAlgorithm, type GcdPair, type GcdValue } from '../types.js';
import { BinaryBig, gcdBinary } from './binary.js';
import { gcdEuclid } from './euclid.js';
import { absPair } from './integers.js';
import { LehmerEuclid } from './lehmer.js';
import { checkNaive, gcdNaive, NAIVE_STEPS_AT_ONCE, naiveSteps } from './naive.js';
import { finished, type GcdSteps } from './steps.js';

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
 * The gcd of one pair by the named algorithm, computed in steps that the caller drives:
 * `advance(pause)` returns false whenever `pause()` says so, and true with `result` set
 * once done. The runners use it for the pairs `isHeavyPair` names, so that one huge gcd
 * never blocks the event loop for more than a slice; the values are those of `gcdOf`.
 * Input errors throw here, at once, as `gcdOf` would throw them.
 *
 * @example
 * const steps = gcdSteps([3n ** 300000n, 2n ** 400000n - 1n], 'euclid');
 * while (!steps.advance(() => slicer.due)) await slicer.yield();
 * console.log(steps.result);
 */
export function gcdSteps(pair: GcdPair, algorithm: GcdAlgorithm): GcdSteps {
  const [a, b] = pair;
  if (algorithm === 'naive') return naiveSteps(a, b);
  const checked = absPair(algorithm === 'euclid' ? 'gcdEuclid' : 'gcdBinary', a, b);
  if (typeof checked[0] === 'number') return finished(gcdOf(pair, algorithm));
  const [x, y] = checked as [bigint, bigint];
  return algorithm === 'euclid' ? new LehmerEuclid(x, y) : new BinaryBig(x, y);
}

/** Bigints from this size up take more than a few milliseconds with Euclid or binary. */
const HEAVY_BIGINT = 1n << 8192n;

/**
 * Whether one pair takes long enough (a few milliseconds or more) that a runner on the
 * calling thread computes it in steps (`gcdSteps`) rather than in one call: a naive
 * countdown of more than 2^22 steps, or a bigint of 8192 bits or more with Euclid or
 * binary. Cheap to ask: no value is converted or printed.
 */
export function isHeavyPair(pair: GcdPair, algorithm: GcdAlgorithm): boolean {
  const [a, b] = pair;
  if (algorithm === 'naive') {
    // min(|a|, |b|) > limit, without telling numbers from bigints.
    const over = (v: number | bigint): boolean =>
      v > NAIVE_STEPS_AT_ONCE || v < -NAIVE_STEPS_AT_ONCE;
    return over(a) && over(b);
  }
  if (typeof a === 'number') return false;
  const big = (v: number | bigint): boolean => v >= HEAVY_BIGINT || v <= -HEAVY_BIGINT;
  return big(a) || big(b);
}

/** Throws a `RangeError` unless `algorithm` names one of this package's algorithms. */
export function checkAlgorithm(algorithm: GcdAlgorithm): void {
  if (!GCD_ALGORITHMS.includes(algorithm)) {
    throw new RangeError(
      `unknown gcd algorithm ${JSON.stringify(algorithm)}; expected one of ${GCD_ALGORITHMS.join(', ')}`,
    );
  }
}

/**
 * Checks one pair of a run's input before it is computed: well-typed and, for `naive`,
 * not above `NAIVE_LIMIT`. Errors name the pair's position (`index`, 0-based, shown
 * 1-based), so a refusal keeps its class even when the pair would have gone to a thread.
 */
export function checkPair(pair: GcdPair, algorithm: GcdAlgorithm, index: number): void {
  absPair(`pair #${index + 1}`, pair[0], pair[1]);
  if (algorithm === 'naive') checkNaive(pair[0], pair[1], index);
}

/**
 * Checks a whole array of pairs before any timing starts (see `checkPair`), so a refusal
 * comes at once and not after the pairs before it were computed.
 */
export function checkPairs(pairs: readonly GcdPair[], algorithm: GcdAlgorithm): void {
  checkAlgorithm(algorithm);
  for (let index = 0; index < pairs.length; index++) checkPair(pairs[index]!, algorithm, index);
}
