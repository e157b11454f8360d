/**
 * The statistics of the overhead table: medians, and a bootstrap confidence interval of a
 * median, so that a run says how far its median ratio can be trusted on a shared machine.
 */
import { seededUint32 } from '@fanout/internal/random';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Percentile bootstrap interval of the median of `values`: `resamples` samples of the same
 * size drawn with replacement (a seeded PRNG, so a run's interval is reproducible from its
 * per-round ratios), their medians sorted, and the `(1 - level) / 2` and `(1 + level) / 2`
 * quantiles taken. With few values the interval can only be a pair of the values
 * themselves, so it is coarse: 9 rounds tell less than 25.
 */
export function bootstrapMedianInterval(
  values: readonly number[],
  { resamples = 10_000, level = 0.95, seed = 1 } = {},
): [number, number] {
  const n = values.length;
  if (n === 0) return [Number.NaN, Number.NaN];
  const next = seededUint32(seed);
  const medians = new Float64Array(resamples);
  const sample = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = values[next() % n]!;
    sample.sort();
    const mid = n >> 1;
    medians[r] = n % 2 === 1 ? sample[mid]! : (sample[mid - 1]! + sample[mid]!) / 2;
  }
  medians.sort();
  const at = (q: number) =>
    medians[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))]!;
  return [at((1 - level) / 2), at((1 + level) / 2)];
}

/**
 * The order of the rows in round `round`: a Williams design, i.e. the base sequence 0, 1,
 * n-1, 2, n-2, … shifted by the round (a rotation, as before), mirrored in every other
 * block of n rounds when n is odd. Over 2n rounds (n when n is even) every row runs in
 * every position equally often AND follows every other row equally often. A plain
 * rotation keeps the cyclic order, so each row always follows the same one, and whatever
 * a row leaves behind (garbage to collect, Redis memory to free) lands on the same
 * neighbour every round.
 */
export function balancedOrder(n: number, round: number): number[] {
  const base: number[] = [];
  for (let low = 0, high = n - 1, i = 0; low <= high; i++) {
    base.push(i % 2 === 0 ? low++ : high--);
  }
  const sequence = n % 2 === 1 && Math.floor(round / n) % 2 === 1 ? base.reverse() : base;
  return sequence.map((row) => (row + round) % n);
}
