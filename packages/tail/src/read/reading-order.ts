import type { Generation } from './generations.js';
import type { Candidate } from './scan.js';
import { compareRank } from './siblings.js';

/** A generation and the file it is read from. */
export interface Placed {
  gen: Generation;
  view: Candidate;
  /** Found for the first time by this look (never seen before, or forgotten as empty). */
  fresh: boolean;
}

const cmp = (x: bigint, y: bigint) => (x === y ? 0 : x < y ? -1 : 1);

/**
 * Orders unfinished generations oldest first. The file at the path is the newest. Before it,
 * what earlier looks knew comes first, in the order they gave it: a generation never seen
 * came to the path after the last look, so after everything known then (file times cannot
 * say so: a coarse clock gives files rotated within a few milliseconds the same time).
 * Generations found for the first time by one look are ordered by when their file was last
 * written: a rotated file is not written after its rotation (renamed, or copied by
 * copytruncate, which writes the copy then), a deleted file we hold not after its deletion.
 * Equal times are told apart by the rotated names: numbered shifting (`.1` newest) or
 * increasing (`.7` newer than `.6`) and date stamps, the direction taken from the names
 * whose times differ (or, without any, shifting when the numbers run `.1`, `.2`… up from
 * 1); then by the order they were found in.
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
    if (a.fresh !== b.fresh) return a.fresh ? 1 : -1;
    if (!a.fresh) return (index.get(a) as number) - (index.get(b) as number);
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
