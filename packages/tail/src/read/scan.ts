import type { BigIntStats } from 'node:fs';
import { type FileHandle, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FileIdentity } from '../types.js';
import { FINGERPRINT_BYTES, identityOf, readAt } from './identity.js';
import { type GzipHandle, isCompressed, openGzip } from './gzip-handle.js';
import { openRegular } from './open-file.js';
import type { SiblingMatcher, SiblingName } from './siblings.js';

/** A file found at an input's path, beside it, or held open by the follower, opened. */
export interface Candidate {
  path: string;
  fh: FileHandle;
  stats: BigIntStats;
  /** Its first bytes (up to the fingerprint length). */
  head: Buffer;
  identity: FileIdentity;
  /** Set for a rotated sibling. */
  sibling?: SiblingName;
  /** At the input's path. */
  live: boolean;
  /** Held open by the follower and no longer at any name looked at (deleted, moved out of sight). */
  unnamed: boolean;
}

/** What a scan looks at. */
export interface ScanTarget {
  dir: string;
  /** The input's path. */
  path: string;
  /** The input as the caller named it (errors about the live path name it). */
  label: string;
  siblings: SiblingMatcher;
  /** Absolute paths never taken for rotated generations. */
  exclude?: (absolutePath: string) => boolean;
  /** Read `.gz` siblings (their decompressed content) instead of skipping them. */
  readCompressed?: boolean;
  /** A `.gz` sibling that is corrupt or truncated: `readable` decompressed bytes before the damage. */
  onDamaged?: (path: string, handle: GzipHandle) => void;
}

/** An open file the follower holds (a generation's), with where it was last seen. */
export interface Held {
  fh: FileHandle;
  path: string;
}

/** A listing may disagree with itself while a rotation is under way: looked at again this often at most. */
const MAX_ATTEMPTS = 8;

const sameFile = (a: BigIntStats, b: BigIntStats) => a.dev === b.dev && a.ino === b.ino;

/**
 * Opens the input's path and its rotated siblings — a consistent picture: after opening
 * every name, the directory is listed and every name is `stat`ed again, and while a name
 * appeared, vanished or now names another file (a rotation renamed files between the
 * listing and the opens, so a file could have been missed or seen twice), or a file is
 * shorter or starts with other bytes than when opened (copytruncate, which keeps the inode,
 * ran after its open and before the listing that shows its copy), everything is looked at
 * again. Files the follower holds are reused (one handle per file), and those
 * found under no name any more are added as `unnamed` (still readable). Siblings that are
 * not readable regular files are no generations and are left out; for the path itself the
 * `InputError` is thrown.
 */
export async function scan(target: ScanTarget, held: readonly Held[]): Promise<Candidate[]> {
  const heldFiles = new Map<FileHandle, BigIntStats>();
  for (const h of held) {
    const st = await h.fh.stat({ bigint: true }).catch(() => undefined);
    if (st) heldFiles.set(h.fh, st);
  }
  const ours = (fh: FileHandle) => heldFiles.has(fh);
  let out: Candidate[] = [];
  for (let attempt = 0; ; attempt++) {
    const seen = await look(target, heldFiles);
    out = seen.found;
    if (attempt + 1 >= MAX_ATTEMPTS || (await unchanged(target, out, seen.skipped))) break;
    for (const c of out) if (!ours(c.fh)) await c.fh.close().catch(() => {});
  }
  for (const h of held) {
    const st = heldFiles.get(h.fh);
    if (!st || out.some((c) => c.fh === h.fh)) continue;
    const fresh = await h.fh.stat({ bigint: true }).catch(() => st);
    const head = await readAt(h.fh, 0, FINGERPRINT_BYTES).catch(() => Buffer.alloc(0));
    out.push({
      path: h.path,
      fh: h.fh,
      stats: fresh,
      head,
      identity: identityOf(fresh, head),
      live: false,
      unnamed: true,
    });
  }
  return out;
}

/** The names a scan opens: the path first, then the rotated siblings in the listing. */
async function wantedNames(target: ScanTarget): Promise<{ path: string; sibling?: SiblingName }[]> {
  let names: string[];
  try {
    names = await readdir(target.dir);
  } catch {
    names = [];
  }
  const siblings: SiblingName[] = [];
  for (const name of names) {
    const sibling = target.siblings.match(name);
    if (sibling && (!sibling.compressed || target.readCompressed)) siblings.push(sibling);
  }
  // In name order (sorting the matches alone: the listing may hold thousands of other names).
  siblings.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const wanted: { path: string; sibling?: SiblingName }[] = [{ path: target.path }];
  for (const sibling of siblings) {
    const path = join(target.dir, sibling.name);
    if (target.exclude?.(resolve(path))) continue;
    wanted.push({ path, sibling });
  }
  return wanted;
}

async function look(
  target: ScanTarget,
  held: ReadonlyMap<FileHandle, BigIntStats>,
): Promise<{ found: Candidate[]; skipped: Set<string> }> {
  const out: Candidate[] = [];
  const skipped = new Set<string>();
  for (const w of await wantedNames(target)) {
    let opened: Awaited<ReturnType<typeof openRegular>>;
    try {
      opened = await openRegular(w.path, w.sibling ? w.path : target.label);
    } catch (e) {
      if (!w.sibling) {
        for (const c of out) if (!held.has(c.fh)) await c.fh.close().catch(() => {});
        throw e;
      }
      skipped.add(w.path);
      continue;
    }
    if (!opened) continue;
    let { stats } = opened;
    let fh = opened.fh;
    let reused = false;
    for (const [h, st] of held) {
      if (sameFile(st, stats)) {
        await fh.close();
        fh = h;
        reused = true;
        break;
      }
    }
    if (w.sibling?.compressed && !reused) {
      // Its decompressed content is the generation (a file `compress` made of one we read).
      const gz = await openGzip(fh, stats);
      if (gz.damaged) target.onDamaged?.(w.path, gz);
      fh = gz as unknown as FileHandle;
    }
    if (isCompressed(fh)) stats = await (fh as GzipHandle).stat();
    // The same file under two names (renamed between the listing and the opens): the
    // picture is not consistent and is looked at again; the later name is the newer one.
    const twice = out.find((c) => sameFile(c.stats, stats));
    if (twice) {
      if (twice.fh !== fh && !held.has(fh)) await fh.close().catch(() => {});
      twice.path = w.path;
      twice.sibling = w.sibling;
      twice.live = !w.sibling;
      continue;
    }
    const head = await readAt(fh, 0, FINGERPRINT_BYTES);
    out.push({
      path: w.path,
      fh,
      stats,
      head,
      identity: identityOf(stats, head),
      sibling: w.sibling,
      live: !w.sibling,
      unnamed: false,
    });
  }
  return { found: out, skipped };
}

/** True when the names and the files they name are still those `found` was made of. */
async function unchanged(
  target: ScanTarget,
  found: readonly Candidate[],
  skipped: ReadonlySet<string>,
): Promise<boolean> {
  const now = await wantedNames(target);
  const names = new Set(now.map((w) => w.path));
  for (const c of found) if (!names.has(c.path)) return false;
  for (const w of now) {
    if (skipped.has(w.path)) continue;
    const c = found.find((x) => x.path === w.path);
    let st: BigIntStats;
    try {
      st = await stat(w.path, { bigint: true });
    } catch {
      if (c) return false;
      continue; // the path itself is always wanted, and may be missing
    }
    if (!c || !sameFile(st, c.stats)) return false;
    if (isCompressed(c.fh)) continue; // not truncated in place; its start is decompressed
    // The same inode, truncated since it was opened (copytruncate keeps the inode): its
    // first bytes and size as opened are not what it holds now, while the copy listed
    // beside it already is.
    if (st.size < c.stats.size) return false;
    const head = await readAt(c.fh, 0, c.head.length).catch(() => Buffer.alloc(0));
    if (!head.equals(c.head)) return false;
  }
  return true;
}
