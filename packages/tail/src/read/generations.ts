import type { BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { FileIdentity, FollowState, GenerationPosition } from '../types.js';
import { headMatches, sameInode, TAIL_BYTES, tailDigest } from './identity.js';
import { compareRank, type SiblingName } from './siblings.js';

/** One file that is or was at an input's path, as the follower knows it. */
export interface Generation {
  identity: FileIdentity;
  /** Offset after the last line handed on (committed). */
  offset: number;
  /** The bytes just before `offset` (up to TAIL_BYTES), or only their digest after a restart. */
  tail: Buffer | { digest: string; bytes: number };
  /** Size when last seen. */
  size: number;
  /** Where it was last seen. */
  path: string;
  /** Read to its end (or there before the follower started): never read again. */
  done: boolean;
  /** Held open once found, so that deleting it does not lose what is unread. */
  fh?: FileHandle;
  /** Its lines were taken from a copytruncate copy: a last line without newline is a fragment. */
  isCopy?: boolean;
  /** Was at the input's path and is now found under another name (rotated while we looked away). */
  movedAway?: boolean;
}

/** A file found at the path or beside it, opened. */
export interface Candidate {
  path: string;
  fh: FileHandle;
  stats: BigIntStats;
  /** Its first bytes (up to the fingerprint length), decompressed for `.gz`. */
  head: Buffer;
  /** Its bytes just before the offset of the generation it may continue, when asked for. */
  identity: FileIdentity;
  /** Set for a rotated sibling; undefined for the live path. */
  sibling?: SiblingName;
  compressed: boolean;
}

/** The digest-or-bytes tail of a generation matches `bytes` (read before its offset). */
export function tailMatches(gen: Generation, bytes: Buffer): boolean {
  const t = gen.tail;
  if (Buffer.isBuffer(t)) return t.equals(bytes);
  return bytes.length === t.bytes && tailDigest(bytes) === t.digest;
}

/** How many tail bytes a generation expects before its offset. */
export function tailLength(gen: Generation): number {
  return Buffer.isBuffer(gen.tail) ? gen.tail.length : gen.tail.bytes;
}

/** The last TAIL_BYTES of `before` followed by `added`. */
export function rollTail(before: Buffer, added: Uint8Array): Buffer {
  if (added.length >= TAIL_BYTES) return Buffer.from(added.subarray(added.length - TAIL_BYTES));
  const keep = Math.min(before.length, TAIL_BYTES - added.length);
  return Buffer.concat([before.subarray(before.length - keep), added]);
}

/** A generation as checkpoints store it. */
export function positionOf(gen: Generation): GenerationPosition {
  const t = gen.tail;
  const tail = Buffer.isBuffer(t) ? { digest: tailDigest(t), bytes: t.length } : t;
  return {
    identity: gen.identity,
    offset: gen.offset,
    tail: tail.digest,
    tailBytes: tail.bytes,
    size: gen.size,
    path: gen.path,
  };
}

/** A stored position back as a generation (not yet found on disk). */
export function generationOf(p: GenerationPosition, fallbackPath: string): Generation {
  return {
    identity: p.identity,
    offset: p.offset,
    tail:
      p.tail !== undefined && p.tailBytes !== undefined
        ? { digest: p.tail, bytes: p.tailBytes }
        : { digest: tailDigest(Buffer.alloc(0)), bytes: 0 },
    size: p.size ?? p.offset,
    path: p.path ?? fallbackPath,
    done: false,
  };
}

/** Is `x` a whole follow state (as opposed to a single `{ offset, identity }`)? */
export function isFollowState(x: unknown): x is FollowState {
  return (
    x !== null &&
    typeof x === 'object' &&
    Array.isArray((x as FollowState).generations) &&
    Array.isArray((x as FollowState).done)
  );
}

/** What a candidate is to the registry. */
export type Verdict =
  /** It is this generation (renamed or not), to be read on from its offset. */
  | { kind: 'continues'; gen: Generation }
  /** A copy (copytruncate) of this unfinished generation, which lives on in it. */
  | { kind: 'copy'; gen: Generation }
  /** A file to leave: finished, there before we started, or a copy of something being read. */
  | { kind: 'skip'; gen: Generation }
  /** A generation never seen: rotated while we were not looking, or new. */
  | { kind: 'new' };

/**
 * Classifies one candidate by inode: the generation it still is (renamed or not), if its
 * first bytes and the bytes before the offset are still the recorded ones. A candidate that
 * has a known generation's inode but other content is not that generation any more (it was
 * truncated or rewritten in place, and lives on only in a copy, if anywhere).
 * `tailAt(gen)` reads the candidate's bytes before `gen.offset`.
 */
export async function classifyByInode(
  c: Candidate,
  gens: readonly Generation[],
  tailAt: (gen: Generation) => Promise<Buffer>,
): Promise<Extract<Verdict, { gen: Generation }> | undefined> {
  // Several generations can share an inode (one truncated in place, then the new content).
  for (const g of gens) {
    if (!sameInode(g.identity, c.identity)) continue;
    if (!(await continues(g, c, Number(c.stats.size), tailAt))) continue;
    return g.done ? { kind: 'skip', gen: g } : { kind: 'continues', gen: g };
  }
  return undefined;
}

/**
 * Classifies a candidate that is no known generation by inode: another file whose start is
 * a known generation's start is a copy of it (copytruncate), which that generation lives on
 * in when it is unfinished and was not found itself (`found`); otherwise a file to leave.
 * Anything else is a generation never seen.
 */
export async function classifyByContent(
  c: Candidate,
  gens: readonly Generation[],
  found: ReadonlySet<Generation>,
  tailAt: (gen: Generation) => Promise<Buffer>,
): Promise<Verdict> {
  for (const g of gens) {
    if (g.identity.fingerprintBytes === 0 || !headMatches(c.head, g.identity)) continue;
    if (g.done || found.has(g)) return { kind: 'skip', gen: g };
    if (await continues(g, c, Number(c.stats.size), tailAt)) return { kind: 'copy', gen: g };
    return { kind: 'skip', gen: g };
  }
  return { kind: 'new' };
}

async function continues(
  g: Generation,
  c: Candidate,
  size: number,
  tailAt: (gen: Generation) => Promise<Buffer>,
): Promise<boolean> {
  if (!headMatches(c.head, g.identity)) return false;
  if (g.done) return true;
  if (size < g.offset) return false;
  return tailMatches(g, await tailAt(g));
}

/**
 * Orders generations never seen, oldest first. Their names say it, but which way depends on
 * the scheme: numbered shifting (`.1` newest, `.2` older) or increasing (`.7` newer than
 * `.6`) and date stamps. Known generations beside them are older, so the side they sit on
 * gives the direction. Without any, the times decide: the last write (a rotated file is not
 * written after it was rotated), then the last rename (rotations rename the oldest file
 * first); for equal times the names, as shifting when they are `.1`, `.2`… up from 1, as
 * increasing otherwise. The live path is always newest.
 */
export function orderNew(fresh: Candidate[], known: readonly SiblingName[]): Candidate[] {
  const ranked = fresh.filter((c) => c.sibling !== undefined && c.sibling.rank.length > 0);
  const knownRanks = known.filter((k) => k.rank.length > 0).map((k) => k.rank);
  const evidence = knownRanks.length > 0 && ranked.length > 0;
  let descending: boolean;
  if (evidence) {
    const newer = ranked.filter((c) =>
      knownRanks.every((k) => compareRank(c.sibling?.rank ?? [], k) < 0),
    ).length;
    descending = newer * 2 >= ranked.length;
  } else {
    const firsts = ranked.map((c) => c.sibling?.rank[0] ?? 0).sort((x, y) => x - y);
    descending = firsts.length > 0 && firsts.every((n, i) => n === i + 1);
  }
  const byName = (a: Candidate, b: Candidate): number => {
    const ra = a.sibling?.rank ?? [];
    const rb = b.sibling?.rank ?? [];
    if (ra.length === 0 || rb.length === 0) return 0;
    const d = compareRank(ra, rb);
    return descending ? -d : d;
  };
  const cmp = (x: bigint, y: bigint) => (x === y ? 0 : x < y ? -1 : 1);
  const byTime = (a: Candidate, b: Candidate): number =>
    cmp(a.stats.mtimeNs, b.stats.mtimeNs) || cmp(a.stats.ctimeNs, b.stats.ctimeNs);
  return [...fresh].sort((a, b) => {
    if (!a.sibling || !b.sibling) return a.sibling ? -1 : b.sibling ? 1 : 0;
    const d = evidence ? byName(a, b) || byTime(a, b) : byTime(a, b) || byName(a, b);
    if (d !== 0) return d;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  });
}
