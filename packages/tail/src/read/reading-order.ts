import type { Generation } from './generations.js';
import type { Candidate } from './scan.js';
import { compareRank, type SiblingName } from './siblings.js';

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
 * Rotated files named in one scheme (`.1`, `.2.gz`…; `-20261201`…) are then put in the order
 * their names give, in the places the times gave them: a compressor may keep a file's time
 * only roughly (rounded to the millisecond) or not at all (the time it compressed), while a
 * consistent look's names are exact. The direction of the numbers is taken from the times
 * of the names whose times differ (numbered shifting: `.1` newest; increasing: `.7` newer
 * than `.6`; date stamps) or, without any, shifting when they run `.1`, `.2`… up from 1.
 */
export function readingOrder(placed: readonly Placed[]): Placed[] {
  const index = new Map(placed.map((p, i) => [p, i]));
  const order = [...placed].sort((a, b) => {
    if (a.view.live !== b.view.live) return a.view.live ? 1 : -1;
    if (a.fresh !== b.fresh) return a.fresh ? 1 : -1;
    if (!a.fresh) return (index.get(a) as number) - (index.get(b) as number);
    return (
      cmp(a.view.stats.mtimeNs, b.view.stats.mtimeNs) ||
      (index.get(a) as number) - (index.get(b) as number)
    );
  });
  // Slots of fresh rotated files, per naming scheme, in the order the times gave.
  const schemes = new Map<string, number[]>();
  order.forEach((p, slot) => {
    const sibling = p.view.sibling;
    if (!p.fresh || p.view.live || !sibling || sibling.rank.length === 0) return;
    const key = schemeOf(sibling);
    const slots = schemes.get(key);
    if (slots) slots.push(slot);
    else schemes.set(key, [slot]);
  });
  for (const slots of schemes.values()) {
    if (slots.length < 2) continue;
    const members = slots.map((s) => order[s] as Placed);
    const descending = ranksDescend(members.map((p) => p.view));
    const byName = [...members].sort((a, b) => {
      const d = compareRank(rankOf(a), rankOf(b));
      // Equal ranks keep the order the times gave (`sort` is stable).
      return descending ? -d : d;
    });
    slots.forEach((s, k) => {
      order[s] = byName[k] as Placed;
    });
  }
  return order;
}

const rankOf = (p: Placed): readonly number[] => p.view.sibling?.rank ?? [];

/**
 * The naming scheme of a rotated name: the name without `.gz`, its counters (runs of up to
 * three digits) as `#`, longer runs (dates, times) as their width, which their format fixes.
 */
function schemeOf(sibling: SiblingName): string {
  const name = sibling.compressed ? sibling.name.slice(0, -3) : sibling.name;
  return name.replace(/\d+/g, (run) => (run.length <= 3 ? '#' : `#${run.length}`));
}

/**
 * Whether higher numbers are older (`.1` newest), as the times of rotated files say. Every
 * view passed has a rank (the caller groups only ranked names).
 */
function ranksDescend(ranked: readonly Candidate[]): boolean {
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
