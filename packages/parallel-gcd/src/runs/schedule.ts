import { bitLength as bigintBits } from '../algorithms/bits.js';
import type { GcdAlgorithm, GcdPair } from '../types.js';

/** A batch of pairs sent to one worker task, with their positions in the input. */
export interface Chunk {
  readonly indices: readonly number[];
  readonly pairs: readonly GcdPair[];
}

/**
 * Relative cost of one pair. The naive countdown takes about min(|a|, |b|) steps; Euclid
 * and Stein take a number of steps linear in the bit length, each step linear in the
 * number of machine words, plus a fixed cost per pair.
 */
export function estimateCost(pair: GcdPair, algorithm: GcdAlgorithm): number {
  const [a, b] = pair;
  if (algorithm === 'naive') {
    const x = a < 0 ? -a : a;
    const y = b < 0 ? -b : b;
    return Math.min(Number(x), Number(y)) + 1;
  }
  const bits = Math.max(bitLength(a), bitLength(b));
  return 64 + (bits * Math.max(bits, 64)) / 64;
}

function bitLength(v: number | bigint): number {
  if (typeof v === 'number') return v === 0 ? 0 : Math.floor(Math.log2(Math.abs(v))) + 1;
  return bigintBits(v < 0n ? -v : v);
}

/**
 * Splits the pairs into chunks for `workers` threads so both stay busy to the end
 * (guided self-scheduling): pairs are taken largest first, and each chunk holds about
 * 1/(4 × workers) of the work still left, so chunks shrink down to single small pairs
 * at the tail, where an idle thread would otherwise wait for a busy one.
 */
export function planChunks(
  pairs: readonly GcdPair[],
  algorithm: GcdAlgorithm,
  workers: number,
): Chunk[] {
  const costs = pairs.map((pair) => estimateCost(pair, algorithm));
  const order = costs.map((_, i) => i).sort((i, j) => costs[j]! - costs[i]! || i - j);
  let remaining = costs.reduce((sum, c) => sum + c, 0);
  const chunks: Chunk[] = [];
  let next = 0;
  while (next < order.length) {
    const target = remaining / (4 * workers);
    const indices: number[] = [];
    let cost = 0;
    do {
      const i = order[next++]!;
      indices.push(i);
      cost += costs[i]!;
    } while (next < order.length && cost + costs[order[next]!]! <= target);
    remaining -= cost;
    chunks.push({ indices, pairs: indices.map((i) => pairs[i]!) });
  }
  return chunks;
}
