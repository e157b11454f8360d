import type { BigIntStats, Stats } from 'node:fs';

/**
 * What a look at a path saw (device, inode, modification time), in the form a `stat` without
 * bigints gives, so that the next look can compare without allocating bigints.
 */
export interface QuietStat {
  readonly dev: number;
  readonly ino: number;
  readonly mtimeMs: number;
}

const NS_PER_SEC = 1_000_000_000n;

/**
 * The modification time in milliseconds as Node computes `Stats.mtimeMs` (seconds × 1000 plus
 * nanoseconds / 1e6, in doubles), from the nanoseconds of a bigint `stat`. Should a Node
 * version compute it otherwise, the times never compare equal and every quiet look wakes the
 * follower for a look of its own: slower, never wrong.
 */
export function msOfNs(ns: bigint): number {
  return Number(ns / NS_PER_SEC) * 1000 + Number(ns % NS_PER_SEC) / 1e6;
}

/**
 * The quiet form of a bigint `stat`, or undefined when device or inode numbers are too large
 * for doubles (two files could then compare equal): those files keep the bigint looks.
 */
export function quietStatOf(st: BigIntStats): QuietStat | undefined {
  const dev = Number(st.dev);
  const ino = Number(st.ino);
  if (!Number.isSafeInteger(dev) || !Number.isSafeInteger(ino)) return undefined;
  return { dev, ino, mtimeMs: msOfNs(st.mtimeNs) };
}

/** The same file, not modified since `seen` was taken. */
export function sameQuietStat(seen: QuietStat, st: Stats): boolean {
  return st.ino === seen.ino && st.dev === seen.dev && st.mtimeMs === seen.mtimeMs;
}
