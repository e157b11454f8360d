import type { Generation } from './generations.js';
import type { Candidate } from './scan.js';
import { compareRank } from './siblings.js';

/** A generation and the file it is read from. */
export interface Placed {
  gen: Generation;
  view: Candidate;
}

const cmp = (x: bigint, y: bigint) => (x === y ? 0 : x < y ? -1 : 1);

/**
 * Orders unfinished generations oldest first. Each ended when its file was last written: a
 * rotated file is not written after its rotation (renamed, or copied by copytruncate, which
 * writes the copy then), a deleted file we hold not after its deletion, and the file at the
 * path is the newest. So: the path's file last, the others by modification time. Equal times
 * (a coarse clock, rotations within one tick) are told apart by the rotated names: numbered
 * shifting (`.1` newest) or increasing (`.7` newer than `.6`) and date stamps, the direction
 * taken from the names whose times differ (or, without any, shifting when the numbers run
 * `.1`, `.2`… up from 1); then by the order they were found in.
 */
export function readingOrder(placed: readonly Placed[]): Placed[] {
  const descending = ranksDescend(placed.map((p) => p.view));
  const byName = (a: Candidate, b: Candidate): number => {
    const ra = a.sibling?.rank ?? [];
    const rb = b.sibling?.rank ?? [];
    if (ra.length === 0 || rb.length === 0) return 0;
    const d = compareRank(ra, rb);
    return descending ? -d : d;
  };
  const index = new Map(placed.map((p, i) => [p, i]));
  return [...placed].sort((a, b) => {
    if (a.view.live !== b.view.live) return a.view.live ? 1 : -1;
    return (
      cmp(a.view.stats.mtimeNs, b.view.stats.mtimeNs) ||
      byName(a.view, b.view) ||
      (index.get(a) as number) - (index.get(b) as number)
    );
  });
}

/** Whether higher numbers are older (`.1` newest), as the times of rotated files say. */
function ranksDescend(views: readonly Candidate[]): boolean {
  const ranked = views.filter((v) => (v.sibling?.rank.length ?? 0) > 0);
  let newerHigher = 0;
  let olderHigher = 0;
  for (const a of ranked) {
    for (const b of ranked) {
      const d = compareRank(a.sibling?.rank ?? [], b.sibling?.rank ?? []);
      if (d <= 0 || a.stats.mtimeNs === b.stats.mtimeNs) continue;
      if (a.stats.mtimeNs > b.stats.mtimeNs) newerHigher++;
      else olderHigher++;
    }
  }
  if (newerHigher !== olderHigher) return olderHigher > newerHigher;
  const firsts = ranked.map((v) => v.sibling?.rank[0] ?? 0).sort((x, y) => x - y);
  return firsts.length > 0 && firsts.every((n, i) => n === i + 1);
}
