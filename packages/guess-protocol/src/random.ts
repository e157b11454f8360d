import { seededRandom } from '@fanout/internal/random';

/**
 * A small seedable PRNG (mulberry32) returning floats in [0, 1), for deterministic tests
 * and reproducible benchmarks. Not for secrets.
 *
 * @example
 * ```ts
 * const session = new GuessSession({ strategy: 'random', random: createRandom(42) });
 * ```
 */
export function createRandom(seed: number): () => number {
  return seededRandom(seed);
}

const ROUNDS = 4;

/**
 * A random order of 0..size-1 drawn one element at a time in O(1) memory: a keyed Feistel
 * network over the next even power of two, walked until it lands inside the range. This is
 * what lets the `random` strategy promise "never the same number twice" without keeping a
 * list of every guess (the seed's list grows with each guess and its retry loop never ends
 * once the range is used up).
 */
export class RandomPermutation {
  readonly size: number;
  #index = 0;
  readonly #halfBits: number;
  readonly #mask: number;
  readonly #keys: Uint32Array;

  constructor(size: number, random: () => number) {
    this.size = size;
    const bits = Math.max(2, Math.ceil(Math.log2(Math.max(size, 2))));
    this.#halfBits = Math.ceil(bits / 2);
    this.#mask = 2 ** this.#halfBits - 1;
    this.#keys = new Uint32Array(ROUNDS);
    for (let i = 0; i < ROUNDS; i++) this.#keys[i] = Math.floor(random() * 4294967296);
  }

  /** How many elements were drawn so far. */
  get drawn(): number {
    return this.#index;
  }

  /** The next element, or undefined once all `size` elements were drawn. */
  next(): number | undefined {
    if (this.#index >= this.size) return undefined;
    let x = this.#index++;
    do x = this.#permute(x);
    while (x >= this.size);
    return x;
  }

  #permute(x: number): number {
    const half = 2 ** this.#halfBits;
    let left = Math.floor(x / half);
    let right = x % half;
    for (let round = 0; round < ROUNDS; round++) {
      let h = Math.imul(right ^ this.#keys[round]!, 0x9e3779b1);
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      const next = (left ^ h) & this.#mask;
      left = right;
      right = next >>> 0;
    }
    return left * half + right;
  }
}
