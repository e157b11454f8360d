/** Shared pieces of the benchmarks: the built package, timing, medians, the result table. */
import { performance } from 'node:perf_hooks';
import type * as Api from '../src/index.js';

/** The built package (dist), typed from the sources: benchmarks measure what users get. */
export const api = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof Api;

/** Rounds per comparison (each side once per round, alternating). */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Alternate the sides each round so machine noise hits all of them; one warm-up round
 * first. Returns the median ms of each side, in the order given.
 */
export async function compare(...sides: (() => Promise<unknown>)[]): Promise<number[]> {
  for (const side of sides) await side();
  const times: number[][] = sides.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, side] of sides.entries()) times[i]?.push(await timeIt(side));
  }
  return times.map(median);
}

/** One line of the table. */
export interface Row {
  readonly benchmark: string;
  readonly ours: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
}

/** `0.42 (ours/baseline) ✅` against a "at most" target. */
export function ratioAtMost(ours: number, baseline: number, limit: number): string {
  const ratio = ours / baseline;
  return `${ratio.toFixed(2)} (ours/baseline) ${ratio <= limit ? '✅' : '❌'}`;
}
