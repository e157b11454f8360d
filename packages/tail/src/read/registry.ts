import type { FileHandle } from 'node:fs/promises';
import type { FileIdentity, FollowState, TailEvent } from '../types.js';
import {
  type Generation,
  holdsContentOf,
  positionOf,
  sameStart,
  tailLength,
  tailMatches,
} from './generations.js';
import { isCompressed } from './gzip-handle.js';
import { headMatches, readAt, sameInode, TAIL_BYTES } from './identity.js';
import { readingOrder } from './reading-order.js';
import type { Candidate, Held } from './scan.js';

/** Finished generations remembered per input. */
const MAX_DONE = 64;
const EMPTY = Buffer.alloc(0);

/** How a look at the files treats what it has never seen. */
export interface LookOptions {
  /**
   * The first look without a resumed state: rotated files found are history (there before
   * we started, not ours to read); the path's file starts at its end with `fromEnd`.
   */
  history: boolean;
  fromEnd: boolean;
  /** Never answer `'again'` (the looks made again did not settle). */
  lastTry?: boolean;
}

/** The generation to read next and the file it is read from. */
export interface Next {
  gen: Generation;
  view: Candidate;
}

/**
 * Every generation of one input — each content stream that has been at its path: where it
 * is now, how far it was read, whether it is finished — brought up to date against a
 * consistent look at the files (see `scan`). A generation is found where it was (same
 * inode, same first bytes, the same bytes before its offset), or, when that file now holds
 * other content (copytruncate), in a copy that holds it past its offset; files holding
 * finished content, or copies of what is being read, are left; anything else is a
 * generation never seen. Unfinished generations are read oldest first: by the time their
 * file was last written, the file at the path last.
 */
export class Registry {
  gens: Generation[];
  readonly #label: string;
  readonly #path: string;
  readonly #emit: (event: TailEvent) => void;

  constructor(label: string, path: string, gens: Generation[], emit: (event: TailEvent) => void) {
    this.#label = label;
    this.#path = path;
    this.gens = gens;
    this.#emit = emit;
  }

  /** Where every unfinished generation is, oldest first, and the finished files remembered. */
  state(): FollowState {
    return {
      generations: this.gens.filter((g) => !g.done).map(positionOf),
      done: this.gens.filter((g) => g.done).map((g) => g.identity),
    };
  }

  /** The files generations hold open. */
  held(): Held[] {
    const out: Held[] = [];
    for (const g of this.gens) if (g.fh) out.push({ fh: g.fh, path: g.path });
    return out;
  }

  /** True when some generation holds `fh`. */
  holds(fh: FileHandle): boolean {
    return this.gens.some((g) => g.fh === fh);
  }

  /** Remembers a file as finished (never to be read), by its identity. */
  remember(identity: FileIdentity, path: string): void {
    this.gens.push({ identity, offset: 0, tail: EMPTY, size: 0, path, done: true });
  }

  /**
   * Brings every generation up to date with `cands` and returns the oldest unfinished one
   * with the file to read it from (undefined: nothing to read). Generations found nowhere
   * are finished, reported as `truncated` (their file holds other content now) or
   * `vanished` (gone) with the bytes that could not be read. `'again'` (nothing changed):
   * a file changed under the look in a way that would mislead it — a generation's file
   * still held it when looked at (same first bytes, long enough) but holds other bytes
   * before its offset now, and has changed since (copytruncate truncated it after the
   * listing; only a new look sees its copy).
   */
  async update(
    cands: readonly Candidate[],
    options: LookOptions,
  ): Promise<Next | undefined | 'again'> {
    // The bytes before each generation's offset, read once: what is decided here and every
    // later read are checked against these (the file may be truncated at any moment).
    const tails = new Map<Generation, Buffer>();
    for (const g of this.gens) {
      if (g.done || (g.offset === 0 && g.identity.fingerprintBytes === 0)) continue;
      const c = cands.find(
        (x) => sameInode(g.identity, x.identity) && headMatches(x.head, g.identity),
      );
      if (!c || Number(c.stats.size) < g.offset) continue;
      const tail = await tailAt(c, g);
      if (tailMatches(g, tail)) tails.set(g, tail);
      else if (!options.lastTry && (await changedSince(c))) return 'again';
    }
    // Nothing read and nothing to recognise it by (its file was empty): found again as new
    // (and still reported when it leaves the path, if it was there).
    const forgotten = this.gens.filter(
      (g) => !g.done && g.offset === 0 && g.identity.fingerprintBytes === 0,
    );
    this.gens = this.gens.filter((g) => !forgotten.includes(g));
    const claimed = new Map<Candidate, Generation | null>();
    const view = new Map<Generation, Candidate>();
    const free = () => cands.filter((c) => !claimed.has(c));
    const unfinished = this.gens.filter((g) => !g.done);
    const done = this.gens.filter((g) => g.done);

    // 1. Unfinished generations where they were.
    for (const g of unfinished) {
      const c = free().find((x) => sameInode(g.identity, x.identity));
      const tail = tails.get(g);
      if (c && tail && headMatches(c.head, g.identity)) {
        // Kept as read: later reads are checked against these bytes, not against what the
        // file holds when it is opened (it may have been truncated since this look).
        g.tail = tail;
        claimed.set(c, g);
        view.set(g, c);
      }
    }
    // 2. Finished files, renamed or not.
    for (const c of free()) {
      const d = done.find((x) => sameInode(x.identity, c.identity) && startsAs(c, x));
      if (d) claimed.set(c, d);
    }
    // 3. Unfinished generations whose file holds other content now (copytruncate), or gone:
    //    a copy holding them past their offset continues them; shorter copies hold only
    //    lines already read.
    for (const g of unfinished) {
      if (view.has(g)) continue;
      const own = cands.find((x) => sameInode(g.identity, x.identity));
      let copy: Candidate | undefined;
      for (const c of free()) {
        if (c === own || !holdsContentOf(c.head, g)) continue;
        const tail = !copy && Number(c.stats.size) >= g.offset ? await tailAt(c, g) : undefined;
        if (tail && tailMatches(g, tail)) {
          g.tail = tail;
          copy = c;
          claimed.set(c, g);
          view.set(g, c);
        } else {
          claimed.set(c, null);
          this.remember(c.identity, c.path);
        }
      }
      if (copy && isCompressed(copy.fh)) {
        // Compressed by the rotation (`compress`): the same content, read on from our offset
        // in the decompressed stream; not a truncation, nothing lost.
        g.identity = copy.identity;
        g.head = Buffer.from(copy.head);
        g.size = Number(copy.stats.size);
        continue;
      }
      if (copy) {
        // Its leaving the path is reported as a truncation once the copy is read.
        g.copyOf = { path: own?.live ? this.#label : g.path, size: g.size, offset: g.offset };
        g.wasLive = false;
        g.identity = copy.identity;
        g.head = Buffer.from(copy.head);
        g.size = Number(copy.stats.size);
        continue;
      }
      g.done = true;
      if (own) {
        this.#emit({
          type: 'truncated',
          path: own.live ? this.#label : own.path,
          offset: g.offset,
          size: Number(own.stats.size),
          lostBytes: Math.max(0, g.size - g.offset),
        });
      } else {
        this.#emit({
          type: 'vanished',
          path: g.path,
          identity: g.identity,
          unreadBytes: Math.max(0, g.size - g.offset),
        });
      }
    }
    // 4. Copies of finished content.
    for (const c of free()) {
      const d = done.find((x) => x.identity.fingerprintBytes > 0 && holdsContentOf(c.head, x));
      if (d) claimed.set(c, d);
    }
    // 5. Copies of what is being read (between copytruncate's copy and its truncation), or
    //    of anything claimed: left for now (looked at again once that file is truncated).
    const claimedNow = [...claimed.keys()];
    for (const c of free()) {
      if (claimedNow.some((o) => sameStart(c.head, o.head))) claimed.set(c, null);
    }
    // 6. Never seen. A rotated file without a whole line yet (a copy being made) is left for
    //    now; the same content under several names is one generation (at the path if there).
    const fresh = free().filter((c) => c.live || c.head.includes(10));
    const groups: Candidate[][] = [];
    for (const c of fresh) {
      const group = groups.find((g) => sameStart(c.head, (g[0] as Candidate).head));
      if (group) group.push(c);
      else groups.push([c]);
    }
    for (const group of groups) {
      const c = group.find((x) => x.live) ?? largest(group);
      for (const other of group) if (other !== c) claimed.set(other, null);
      if (options.history && !c.live) {
        this.remember(c.identity, c.path);
        claimed.set(c, null);
        continue;
      }
      const size = Number(c.stats.size);
      const offset = options.history && options.fromEnd ? size : 0;
      const gen: Generation = {
        identity: c.identity,
        head: Buffer.from(c.head),
        offset,
        tail: offset > 0 ? await tailBefore(c, offset) : EMPTY,
        size,
        path: c.path,
        done: false,
      };
      if (forgotten.some((f) => f.wasLive && sameInode(f.identity, c.identity))) gen.wasLive = true;
      this.gens.push(gen);
      claimed.set(c, gen);
      view.set(gen, c);
    }
    // Every generation holds its file; the rest is for the caller to close.
    for (const g of this.gens) g.fh = undefined;
    for (const [g, c] of view) {
      g.fh = c.fh;
      // At the path, or recorded there and found elsewhere: its leaving is reported.
      if (c.live || (g.path === this.#path && !g.copyOf)) g.wasLive = true;
      g.path = c.path;
      g.size = Math.max(g.size, Number(c.stats.size));
    }
    this.#prune();
    const order = readingOrder(
      this.gens
        .filter((g) => !g.done)
        .map((gen) => ({
          gen,
          view: view.get(gen) as Candidate,
          fresh: !unfinished.includes(gen),
        })),
    );
    this.gens = [...this.gens.filter((g) => g.done), ...order.map((o) => o.gen)];
    return order[0];
  }

  /** Keeps the newest finished generations (a file seen again is then never read twice). */
  #prune(): void {
    const done = this.gens.filter((g) => g.done);
    const drop = new Set(done.slice(0, Math.max(0, done.length - MAX_DONE)));
    if (drop.size > 0) this.gens = this.gens.filter((g) => !drop.has(g));
  }
}

/** The largest file of a group (the most content). */
function largest(group: readonly Candidate[]): Candidate {
  return group.reduce((a, b) => (b.stats.size > a.stats.size ? b : a));
}

/** A finished generation's file still starts as it did (its inode was not reused for other content). */
function startsAs(c: Candidate, done: Generation): boolean {
  if (done.identity.fingerprintBytes === 0) return c.stats.size === 0n;
  return headMatches(c.head, done.identity);
}

/** The candidate's bytes just before `gen`'s offset. */
function tailAt(c: Candidate, gen: Generation): Promise<Buffer> {
  const n = Math.min(tailLength(gen), gen.offset);
  return readAt(c.fh, gen.offset - n, n);
}

/**
 * The file changed since it was looked at: another size or times, or other first bytes (a
 * truncation, even one refilled past the old size).
 */
export async function changedSince(c: Candidate): Promise<boolean> {
  const now = await c.fh.stat({ bigint: true }).catch(() => undefined);
  if (!now || now.size !== c.stats.size || now.mtimeNs !== c.stats.mtimeNs) return true;
  if (now.ctimeNs !== c.stats.ctimeNs) return true;
  const head = await readAt(c.fh, 0, c.head.length).catch(() => Buffer.alloc(0));
  return !head.equals(c.head);
}

/** The candidate's bytes just before `offset` (up to TAIL_BYTES). */
function tailBefore(c: Candidate, offset: number): Promise<Buffer> {
  const n = Math.min(offset, TAIL_BYTES);
  return readAt(c.fh, offset - n, n);
}
