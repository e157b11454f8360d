/**
 * A seedable pseudo-random generator (mulberry32): the same seed gives the same sequence on
 * every platform, which is what reproducible soups, strategies and model tests need. Not
 * for secrets.
 */

/** Returns a generator of 32-bit unsigned integers seeded with `seed`. */
export function seededUint32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Returns a generator of floats in [0, 1) seeded with `seed`. */
export function seededRandom(seed: number): () => number {
  const next = seededUint32(seed);
  return () => next() / 4294967296;
}
