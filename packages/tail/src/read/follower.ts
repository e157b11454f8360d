import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { FileIdentity, FollowOptions, FollowState, TailEvent } from '../types.js';
import type { CopyLines } from '../write/sink.js';
import {
  type Candidate,
  classifyByContent,
  classifyByInode,
  type Generation,
  generationOf,
  isFollowState,
  orderNew,
  positionOf,
  rollTail,
  tailLength,
  tailMatches,
} from './generations.js';
import {
  FINGERPRINT_BYTES,
  headMatches,
  identify,
  identityOf,
  readAt,
  sameInode,
  TAIL_BYTES,
  withHead,
} from './identity.js';
import { openRegular } from './open-file.js';
import { RecordAssembler } from './records.js';
import { DEFAULT_ROTATED, SiblingMatcher, type SiblingName } from './siblings.js';
import { type LinePart, LineSplitter } from './splitter.js';
import { Waker } from './waker.js';

/** Whole lines read from one file by one `next()` call. */
export interface LineBatch {
  path: string;
  /** The file the lines came from. */
  identity: FileIdentity;
  parts: LinePart[];
  lines: number;
  /** Bytes of `parts` (every line with its newline). */
  bytes: number;
  /** Resume offset in that file after these lines. */
  endOffset: number;
  /** The lines were copied straight into the output by `copy` (`parts` is then empty). */
  written: boolean;
  /**
   * Records the lines as handed on: the follower's state (what `state()` and so a checkpoint
   * says) moves past them. Call it in the same tick as the lines are accepted by the output.
   */
  commit(): void;
}

/** Follower options plus what the merger needs. */
export interface FollowerOptions extends FollowOptions {
  /** Memory to read into (recycled from the writer); a new buffer when it returns undefined. */
  allocate?: (size: number) => Buffer | undefined;
  /**
   * Copies whole lines from the open file straight into the output (the merge's writer
   * thread): used instead of reading whenever no partial line is held. What it leaves (a
   * partial last line, a line too long) is read here, line by line.
   */
  copy?: CopyLines;
  /** Absolute paths never taken for rotated generations (the output, the checkpoint, other inputs). */
  exclude?: (absolutePath: string) => boolean;
  /**
   * Turns a resumed state that does not match the files (an offset past a file's end, other
   * bytes before the offset, the content of a recorded file under another inode) into the
   * error to throw. Without it such a state is taken as a truncation.
   */
  onMismatch?: (problem: string) => Error;
  /** The input as the caller named it, for errors and events (default: `path`). */
  label?: string;
  /** With `follow`: end once the path is gone and everything is read (a glob's match that was deleted). */
  endWhenGone?: boolean;
}

/**
 * Whether candidate `c` starts as `gen` does: its first bytes hash to `gen`'s fingerprint, or
 * — for files shorter than a whole fingerprint — they are the start of what was read of
 * `gen`, all of which is in its tail while its offset is within the tail's reach.
 */
function startsLike(c: Candidate, gen: Generation): boolean {
  if (gen.identity.fingerprintBytes > 0 && headMatches(c.head, gen.identity)) return true;
  const t = gen.tail;
  if (!Buffer.isBuffer(t) || t.length !== gen.offset || c.head.length === 0) return false;
  const n = Math.min(c.head.length, t.length);
  return n === Number(c.stats.size) && c.head.subarray(0, n).equals(t.subarray(0, n));
}

/** The generation being read. */
interface Current {
  gen: Generation;
  /** At the input's path (not rotated away): its end is not the end of the generation. */
  live: boolean;
  /** Was at the path when opened: its leaving is reported (`rotated` / `deleted`). */
  wasLive: boolean;
  readPos: number;
  /** The bytes just before `readPos`, compared before every read. */
  readTail: Buffer;
  /** The largest size this file was seen to have. */
  seenSize: number;
  /** The last copy reached the end of the file. */
  atEnd?: boolean;
  /** Modification time at the last look at the path. */
  mtime?: bigint;
  /** For a copy: the truncated file's size as last seen (what may be lost beyond the copy). */
  originalSize?: number;
  originalPath?: string;
}

type ReadOutcome = LineBatch | 'eof' | 'more' | 'truncated';

const EMPTY = Buffer.alloc(0);
const SAFETY_MS = 10_000;
/** Finished generations remembered per input. */
const MAX_DONE = 64;

function codeOf(e: unknown): unknown {
  return e !== null && typeof e === 'object' && 'code' in e ? e.code : undefined;
}

/**
 * Follows one input by identity, not by path: a registry of every generation (each file
 * that has been or is at the path: device, inode, fingerprint, offset, finished or not)
 * and the rotated siblings beside the path (`NAME.1`, `NAME-20261201`…). Every generation
 * is read to its end, oldest first, before the next one, whatever happened while running or
 * while down; a truncated file's missing lines are taken from its copytruncate copy; a line
 * is only ever handed on whole.
 */
export class FileFollower {
  readonly path: string;
  readonly #label: string;
  readonly #dir: string;
  readonly #name: string;
  readonly #opts: FollowerOptions;
  readonly #follow: boolean;
  readonly #interval: number;
  readonly #safety: number;
  readonly #signal: AbortSignal | undefined;
  readonly #splitter: LineSplitter;
  readonly #records: RecordAssembler | undefined;
  readonly #recordTimeout: number;
  #lastData = 0;
  readonly #siblings: SiblingMatcher;
  readonly #waker = new Waker();
  #gens: Generation[] = [];
  #cur: Current | null = null;
  #buf: Buffer | undefined;
  /** The first scan has not run: it applies `from`. */
  #firstScan = true;
  /** Resuming a whole state: siblings never seen are generations rotated while down. */
  readonly #resumedState: boolean;
  #everOpened = false;
  #missingReported = false;
  #reappear = false;
  #ended = false;
  #lastCheck = Number.NEGATIVE_INFINITY;
  #pending: (() => void) | undefined;
  /** Generations holding a file open when the current scan began. */
  #held = new Set<Generation>();
  #readyResolve: (() => void) | undefined;
  /** Resolves once the first look at the input is done (opened, or found missing). */
  readonly ready: Promise<void>;

  constructor(path: string, options: FollowerOptions = {}) {
    this.path = path;
    this.#label = options.label ?? path;
    this.#dir = dirname(path);
    this.#name = basename(path);
    this.#opts = options;
    this.#follow = options.follow ?? false;
    this.#interval = options.intervalMs ?? 100;
    this.#safety = options.safetyIntervalMs ?? Math.max(SAFETY_MS, this.#interval);
    this.#signal = options.signal;
    this.#siblings = new SiblingMatcher(this.#name, options.rotated ?? DEFAULT_ROTATED);
    this.#splitter = new LineSplitter(
      options.maxLineBytes ?? 1024 * 1024,
      options.longLines ?? 'split',
      (offset, bytes, action) =>
        this.#emit({ type: 'long-line', path: this.#label, offset, bytes, action }),
    );
    this.#records = options.multiline
      ? new RecordAssembler(options.multiline, (offset, bytes) =>
          this.#emit({ type: 'long-line', path: this.#label, offset, bytes, action: 'split' }),
        )
      : undefined;
    this.#recordTimeout = options.multiline?.timeoutMs ?? 1000;
    this.ready = new Promise((r) => {
      this.#readyResolve = r;
    });
    const from = options.from;
    this.#resumedState = isFollowState(from);
    if (isFollowState(from)) {
      this.#gens = from.generations.map((p) => generationOf(p, path));
      for (const identity of from.done) {
        this.#gens.push({ ...generationOf({ identity, offset: 0 }, path), done: true });
      }
    } else if (from !== undefined && typeof from === 'object') {
      this.#gens = [generationOf({ identity: from.identity, offset: from.offset }, path)];
    }
    if (this.#follow) this.#waker.watch(this.#dir, this.#name);
  }

  #emit(event: TailEvent): void {
    this.#opts.onEvent?.(event);
  }

  /** Where every unfinished generation is, for a checkpoint (as of the last commit). */
  state(): FollowState {
    return {
      generations: this.#gens.filter((g) => !g.done).map(positionOf),
      done: this.#gens.filter((g) => g.done).map((g) => g.identity),
    };
  }

  /** The next batch of whole lines, or null once ended (EOF without follow, or aborted). */
  async next(): Promise<LineBatch | null> {
    this.#pending?.(); // a batch not committed by the caller is taken as handed on
    for (;;) {
      if (this.#ended || this.#signal?.aborted) {
        await this.close();
        return null;
      }
      if (!this.#cur) {
        let found: boolean;
        try {
          found = await this.#plan();
        } finally {
          this.#readyResolve?.();
        }
        if (!found) {
          if (!this.#follow || (this.#opts.endWhenGone && this.#everOpened)) {
            await this.close();
            if (this.#everOpened) return null;
            const enoent = Object.assign(new Error('no such file or directory'), {
              code: 'ENOENT',
            });
            throw new InputError(this.#label, 'open', enoent);
          }
          await this.#waker.wait(
            this.#waker.watching ? this.#safety : this.#interval,
            this.#signal,
          );
          continue;
        }
      }
      const cur = this.#cur as Current;
      let outcome: ReadOutcome;
      try {
        outcome = await this.#readSome(cur);
      } catch (e) {
        await this.close();
        throw e instanceof InputError ? e : new InputError(this.#label, 'read', e);
      }
      if (outcome === 'more') continue;
      if (outcome === 'truncated') {
        await this.#onTruncated(cur);
        continue;
      }
      if (outcome !== 'eof') return outcome;
      if (cur.live && this.#follow) {
        if ((await this.#waitLive(cur)) === 'flush') {
          const record = this.#records?.flush();
          if (record) return this.#batch(cur, [record], cur.readTail);
        }
        continue; // read once more to the end before acting on a change
      }
      const last = await this.#finishPartial(cur);
      if (last) return last;
      if (cur.live) {
        // Without follow the live file's end is the end of the input.
        this.#ended = true;
        continue;
      }
      await this.#finish(cur);
    }
  }

  /**
   * At the end of the live file, waits until there may be more to read: a change event for
   * the name, or — when due (every `intervalMs` without a watch, every safety interval with
   * one) or after a rename event — a `stat` of the path that shows the file grew, changed or
   * is not at the path any more (then `cur.live` is false). An idle file with a working watch
   * costs one `stat` per safety interval.
   */
  async #waitLive(cur: Current): Promise<'flush' | undefined> {
    for (;;) {
      if (this.#signal?.aborted) return;
      let flushIn = Number.POSITIVE_INFINITY;
      if (this.#records?.pending && this.#splitter.idle) {
        flushIn = this.#lastData + this.#recordTimeout - performance.now();
        if (flushIn <= 0) return 'flush';
      }
      const watching = this.#waker.watching;
      const every = watching ? this.#safety : this.#interval;
      const now = performance.now();
      if (this.#waker.renamed || now - this.#lastCheck >= every) {
        this.#lastCheck = now;
        this.#waker.renamed = false;
        try {
          const st = await stat(this.path, { bigint: true });
          if (!sameInode(cur.gen.identity, st)) {
            cur.live = false;
            return;
          }
          const changed = st.size !== BigInt(cur.readPos) || st.mtimeNs !== cur.mtime;
          cur.mtime = st.mtimeNs;
          if (changed) return;
        } catch (e) {
          if (codeOf(e) === 'ENOENT') {
            cur.live = false;
            return;
          }
        }
      }
      const left = Math.max(1, Math.min(flushIn, every - (performance.now() - this.#lastCheck)));
      if (await this.#waker.wait(left, this.#signal)) return;
    }
  }

  /** At the end of a generation: its last line without newline, handed on whole (or dropped from a copy). */
  async #finishPartial(cur: Current): Promise<LineBatch | null> {
    if (cur.gen.isCopy) {
      const fragment = this.#splitter.pendingBytes;
      const record = this.#records?.flush();
      if (record) return this.#batch(cur, [record], cur.readTail);
      this.#splitter.reset(cur.gen.offset);
      this.#emit({
        type: 'truncated',
        path: cur.originalPath ?? this.#label,
        offset: cur.gen.offset,
        size: cur.gen.size,
        copy: cur.gen.path,
        lostBytes: fragment + Math.max(0, (cur.originalSize ?? 0) - cur.seenSize),
      });
      return null;
    }
    const last = this.#splitter.flush();
    const parts = last ? [last] : [];
    if (this.#records) {
      const out = this.#records.push(parts);
      const record = this.#records.flush();
      if (record) out.push(record);
      return out.length > 0 ? this.#batch(cur, out, cur.readTail) : null;
    }
    return last ? this.#batch(cur, parts, cur.readTail) : null;
  }

  /** A generation read to its end: finished for good, then the next one. */
  async #finish(cur: Current): Promise<void> {
    const gen = cur.gen;
    gen.done = true;
    this.#cur = null;
    const fh = gen.fh;
    gen.fh = undefined;
    let deleted = false;
    try {
      deleted = (await fh?.stat({ bigint: true }))?.nlink === 0n;
    } catch {}
    await fh?.close().catch(() => {});
    if (cur.wasLive) {
      if (deleted) this.#emit({ type: 'deleted', path: this.#label });
      else this.#emit({ type: 'rotated', path: this.#label, previous: gen.identity });
      // A file that appears at the path from now on is reported as re-created.
      this.#reappear =
        deleted ||
        !(await stat(this.path).then(
          () => true,
          () => false,
        ));
    }
  }

  /** Reads (or has the writer thread copy) the next stretch of the current generation. */
  async #readSome(cur: Current): Promise<ReadOutcome> {
    const fh = cur.gen.fh;
    if (!fh) return 'eof';
    if (cur.atEnd) {
      // The last copy read to the end: wait for a change before asking again (an event that
      // came meanwhile wakes the wait at once).
      cur.atEnd = false;
      return 'eof';
    }
    const chunk = this.#opts.chunkBytes ?? 1024 * 1024;
    const copy = this.#opts.copy;
    // The writer thread copies once the fingerprint is whole: the first bytes of a file are
    // read here, so that its fingerprint is made of what was read (not of what the file
    // holds later, after a truncation).
    const headDone =
      cur.readPos > 0 &&
      (cur.gen.identity.fingerprintBytes >= FINGERPRINT_BYTES || cur.readPos >= FINGERPRINT_BYTES);
    if (copy && !this.#records && this.#splitter.idle && headDone) {
      const done = await copy(fh.fd, cur.readPos, chunk, this.#splitter.maxLineBytes, cur.readTail);
      if (done.mismatch) return 'truncated';
      // Nothing after the last whole line: the end, without reading here again.
      if (done.bytes === 0 && done.atEnd && !done.readFailed) return 'eof';
      if (done.bytes > 0) {
        cur.readPos += done.bytes;
        cur.readTail = Buffer.from(done.tail);
        cur.atEnd = done.atEnd;
        cur.seenSize = Math.max(cur.seenSize, cur.readPos);
        this.#splitter.reset(cur.readPos);
        const batch = this.#batch(cur, [], cur.readTail);
        return { ...batch, lines: done.lines, bytes: done.bytes, written: true };
      }
    }
    const k = cur.readTail.length;
    const size = chunk + TAIL_BYTES;
    if (!this.#buf) this.#buf = this.#opts.allocate?.(size) ?? Buffer.allocUnsafeSlow(size);
    const buf = this.#buf;
    const { bytesRead } = await fh.read(buf, 0, k + chunk, cur.readPos - k);
    if (bytesRead < k || !buf.subarray(0, k).equals(cur.readTail)) return 'truncated';
    // At the start there are no bytes before: the file must still begin as when it was found
    // (it may have been truncated and refilled since, its old content then in a copy).
    if (cur.readPos === 0 && !headMatches(buf.subarray(0, bytesRead), cur.gen.identity)) {
      return 'truncated';
    }
    if (bytesRead === k) return 'eof';
    const at = cur.readPos;
    const data = buf.subarray(k, bytesRead);
    const tailBefore = cur.readTail;
    if (at < FINGERPRINT_BYTES && cur.gen.identity.fingerprintBytes < FINGERPRINT_BYTES) {
      // The bytes before `at` are the tail (all of them, as at < 256): with these, the head.
      const head = Buffer.concat([tailBefore, data]).subarray(0, FINGERPRINT_BYTES);
      if (tailBefore.length === at && head.length > cur.gen.identity.fingerprintBytes) {
        cur.gen.identity = withHead(cur.gen.identity, head);
      }
    }
    cur.readPos += data.length;
    cur.readTail = rollTail(cur.readTail, data);
    cur.seenSize = Math.max(cur.seenSize, cur.readPos);
    this.#lastData = performance.now();
    const lines = this.#splitter.push(data, at, true);
    // The read buffer is donated: runs of lines stay views of it (no copy) and a new buffer
    // is taken for the next read when any part kept it.
    if (lines.some((p) => p.data.buffer === buf.buffer)) this.#buf = undefined;
    const parts = this.#records ? this.#records.push(lines) : lines;
    if (parts.length === 0) return 'more';
    const committed = this.#committed();
    const tail =
      committed >= at
        ? rollTail(tailBefore, data.subarray(0, committed - at))
        : await readAt(fh, Math.max(0, committed - TAIL_BYTES), Math.min(committed, TAIL_BYTES));
    return this.#batch(cur, parts, tail);
  }

  #batch(cur: Current, parts: LinePart[], tail: Buffer): LineBatch {
    let lines = 0;
    let bytes = 0;
    for (const p of parts) {
      lines += p.lines;
      bytes += p.data.length;
    }
    const gen = cur.gen;
    const endOffset = this.#committed();
    let committed = false;
    const commit = () => {
      if (committed) return;
      committed = true;
      if (this.#pending === commit) this.#pending = undefined;
      gen.offset = endOffset;
      gen.tail = tail;
      gen.size = Math.max(gen.size, cur.seenSize);
    };
    this.#pending = commit;
    return {
      path: this.#label,
      identity: gen.identity,
      parts,
      lines,
      bytes,
      endOffset,
      written: false,
      commit,
    };
  }

  /** Everything before this offset has been handed on (or skipped). */
  #committed(): number {
    return this.#records?.pendingOffset ?? this.#splitter.committed;
  }

  /**
   * The current file's bytes before our position changed: it was truncated (copytruncate)
   * or rewritten. What we had not read yet is taken from its copy when one is found beside
   * it; the file itself is then read from its start as a new generation.
   */
  async #onTruncated(cur: Current): Promise<void> {
    const gen = cur.gen;
    const fh = gen.fh;
    this.#resetLines(gen.offset);
    this.#cur = null;
    if (!fh || gen.isCopy) {
      // A copy being rewritten too: what is left of it cannot be trusted.
      this.#emit({
        type: 'truncated',
        path: this.#label,
        offset: gen.offset,
        size: 0,
        lostBytes: Math.max(0, cur.seenSize - gen.offset),
      });
      gen.done = true;
      await fh?.close().catch(() => {});
      gen.fh = undefined;
      return;
    }
    const st = await fh.stat({ bigint: true });
    const fresh: Generation = {
      identity: await identify(fh, st),
      offset: 0,
      tail: EMPTY,
      size: Number(st.size),
      path: gen.path,
      done: false,
      fh,
    };
    const copy = await this.#findCopy(gen);
    if (copy) {
      gen.identity = copy.identity;
      gen.path = copy.path;
      gen.fh = copy.fh;
      gen.isCopy = true;
      gen.size = Number(copy.stats.size);
      // What the file holds now is newer than anything known: it goes last.
      this.#gens.push(fresh);
      this.#cur = {
        gen,
        live: false,
        wasLive: false,
        readPos: gen.offset,
        readTail: await this.#tailOf(gen),
        seenSize: gen.offset,
        originalSize: Math.max(cur.seenSize, cur.readPos),
        originalPath: this.#label,
      };
      this.#resetLines(gen.offset);
      return;
    }
    this.#emit({
      type: 'truncated',
      path: this.#label,
      offset: gen.offset,
      size: Number(st.size),
      lostBytes: Math.max(0, Math.max(cur.seenSize, cur.readPos) - gen.offset),
    });
    // Kept as finished: a copy of it shorter than our offset is then not taken for a new file.
    gen.done = true;
    gen.fh = undefined;
    this.#gens.push(fresh);
    const older = this.#gens.find((g) => !g.done && g.fh && g !== fresh);
    if (older) {
      // Generations found before, rotated copies of what this file held, come first.
      this.#cur = null;
      return;
    }
    this.#open(fresh, cur.live, cur.wasLive, EMPTY);
  }

  /** A rotated sibling holding `gen`'s content up to at least its offset (a copytruncate copy). */
  async #findCopy(gen: Generation): Promise<Candidate | undefined> {
    const candidates = await this.#scan(true);
    let found: Candidate | undefined;
    for (const c of candidates) {
      const known = this.#gens.some((g) => g.fh === c.fh || sameInode(g.identity, c.identity));
      const copy =
        !known &&
        !sameInode(gen.identity, c.identity) &&
        (startsLike(c, gen) || (await this.#overlapsTail(c, gen)));
      if (!found && copy && Number(c.stats.size) >= gen.offset) {
        if (tailMatches(gen, await this.#tailAt(c, gen))) {
          found = c;
          continue;
        }
      }
      if (copy && Number(c.stats.size) < gen.offset) {
        // A copy of lines already read (the rest was written after the copy was made): never
        // to be read as a new file.
        this.#gens.push({ ...this.#genOf(c, 0), done: true, fh: undefined });
      }
      if (!this.#gens.some((g) => g.fh === c.fh)) await c.fh.close().catch(() => {});
    }
    return found;
  }

  /**
   * A file shorter than `gen`'s offset whose end lies within `gen`'s tail: its bytes there
   * are those `gen` had (a copy made before the lines we read last were written).
   */
  async #overlapsTail(c: Candidate, gen: Generation): Promise<boolean> {
    const t = gen.tail;
    const size = Number(c.stats.size);
    if (!Buffer.isBuffer(t) || size >= gen.offset) return false;
    const from = gen.offset - t.length;
    if (size - from < Math.min(64, size)) return false; // too little in common to tell
    const start = Math.max(0, from);
    const bytes = await readAt(c.fh, start, size - start);
    return bytes.length === size - start && bytes.equals(t.subarray(start - from, size - from));
  }

  async #tailAt(c: Candidate, gen: Generation): Promise<Buffer> {
    const n = Math.min(tailLength(gen), gen.offset);
    return readAt(c.fh, gen.offset - n, n);
  }

  async #tailOf(gen: Generation): Promise<Buffer> {
    if (Buffer.isBuffer(gen.tail)) return gen.tail;
    const n = Math.min(gen.tail.bytes, gen.offset);
    return gen.fh ? readAt(gen.fh, gen.offset - n, n) : EMPTY;
  }

  /** Opens the path and its rotated siblings (reusing handles already held). */
  async #scan(siblingsOnly = false): Promise<Candidate[]> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch {
      names = [];
    }
    const exclude = this.#opts.exclude;
    const out: Candidate[] = [];
    const wanted: { path: string; sibling?: SiblingName }[] = [];
    if (!siblingsOnly) wanted.push({ path: this.path });
    for (const name of names) {
      const sibling = this.#siblings.match(name);
      if (!sibling || sibling.compressed) continue;
      const path = join(this.#dir, name);
      if (exclude?.(resolve(path))) continue;
      wanted.push({ path, sibling });
    }
    for (const w of wanted) {
      let opened: Awaited<ReturnType<typeof openRegular>>;
      try {
        opened = await openRegular(w.path, w.sibling ? w.path : this.#label);
      } catch (e) {
        if (!w.sibling) throw e;
        continue; // a sibling that is not a readable file is not a generation
      }
      if (!opened) continue;
      const held = this.#gens.find(
        (g) =>
          g.fh &&
          g.identity.dev === opened.stats.dev.toString() &&
          g.identity.ino === opened.stats.ino.toString(),
      );
      if (held?.fh) {
        await opened.fh.close();
        opened.fh = held.fh;
      }
      const head = await readAt(opened.fh, 0, FINGERPRINT_BYTES);
      // Renamed between the listing and the open (a rotation under way): the same file under
      // two names. The later name is its name now; the earlier entry goes.
      const twice = out.findIndex(
        (c) => c.stats.dev === opened.stats.dev && c.stats.ino === opened.stats.ino,
      );
      if (twice >= 0) {
        const dup = out[twice] as Candidate;
        out.splice(twice, 1);
        if (dup.fh !== opened.fh && !this.#gens.some((g) => g.fh === dup.fh)) {
          await dup.fh.close().catch(() => {});
        }
      }
      out.push({
        path: w.path,
        fh: opened.fh,
        stats: opened.stats,
        head,
        identity: identityOf(opened.stats, head),
        sibling: w.sibling,
        compressed: false,
      });
    }
    return out;
  }

  /**
   * Looks at the path and its siblings, brings the registry up to date and opens the oldest
   * unfinished generation. False when there is nothing to read (the path is missing).
   */
  async #plan(attempt = 0, first = this.#firstScan): Promise<boolean> {
    this.#firstScan = false;
    const candidates = await this.#scan();
    // A generation of which nothing was read yet, at the path (or known by nothing but its
    // inode), cannot be told from what that inode holds later (the live file of copytruncate
    // keeps its inode): forgotten, so that the file at the path is taken as new, after any
    // rotated copy of what it held.
    const atPath = candidates.find((c) => !c.sibling);
    for (const g of [...this.#gens]) {
      if (g.done || g.offset > 0) continue;
      const unknown = g.identity.fingerprintBytes === 0;
      if (!unknown && !(atPath && sameInode(g.identity, atPath.identity))) continue;
      this.#gens.splice(this.#gens.indexOf(g), 1);
      const fh = g.fh;
      const used = candidates.some((c) => c.fh === fh) || this.#gens.some((x) => x.fh === fh);
      if (fh && !used) await fh.close().catch(() => {});
    }
    this.#held = new Set(this.#gens.filter((g) => g.fh));
    if (first && attempt === 0 && this.#opts.onMismatch) {
      try {
        await this.#checkResumed(candidates);
      } catch (e) {
        for (const c of candidates) await c.fh.close().catch(() => {});
        throw e;
      }
    }
    const found = new Set<Generation>();
    const matched = new Set<Generation>();
    const fresh: Candidate[] = [];
    const known: SiblingName[] = [];
    const keep = new Set<Candidate>();
    const live = candidates.find((c) => !c.sibling);
    const take = (c: Candidate, g: Generation) => {
      found.add(g);
      const previous = g.fh;
      if (previous && previous !== c.fh && !this.#gens.some((x) => x !== g && x.fh === previous)) {
        void previous.close().catch(() => {});
      }
      if (g.path === this.path && c.path !== this.path) g.movedAway = true;
      g.fh = c.fh;
      g.path = c.path;
      g.size = Math.max(g.size, Number(c.stats.size));
      keep.add(c);
    };
    // By inode first, so that a copy of a generation that is still there is left alone.
    const rest: Candidate[] = [];
    for (const c of candidates) {
      const verdict = await classifyByInode(c, this.#gens, (g) => this.#tailAt(c, g));
      if (!verdict) {
        rest.push(c);
        continue;
      }
      if (c.sibling) known.push(c.sibling);
      matched.add(verdict.gen);
      if (verdict.kind === 'continues') take(c, verdict.gen);
    }
    for (const c of rest) {
      const verdict = await classifyByContent(c, this.#gens, found, (g) => this.#tailAt(c, g));
      if (verdict.kind === 'new') {
        fresh.push(c);
        continue;
      }
      if (c.sibling) known.push(c.sibling);
      matched.add(verdict.gen);
      if (verdict.kind === 'copy') {
        verdict.gen.identity = c.identity;
        verdict.gen.isCopy = true;
        take(c, verdict.gen);
      }
    }
    const missing = this.#gens.filter((g) => !g.done && !g.fh && !found.has(g));
    if (missing.length > 0 && attempt < 3) {
      // A scan can run between two renames of a rotation: look again before calling it lost.
      for (const g of found) if (!this.#held.has(g)) g.fh = undefined;
      for (const c of candidates) {
        if (!this.#gens.some((g) => g.fh === c.fh)) await c.fh.close().catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 20));
      return this.#plan(attempt + 1, first);
    }
    // Finished files are remembered (the newest ones), so that one seen again, even after a
    // scan that missed it, is never read twice.
    const done = this.#gens.filter((g) => g.done);
    for (const g of done.slice(0, Math.max(0, done.length - MAX_DONE))) {
      this.#gens.splice(this.#gens.indexOf(g), 1);
    }
    for (const g of [...this.#gens]) {
      if (found.has(g) || g.fh || g.done) continue;
      // Unfinished and nowhere: gone before it was read to its end. Kept as finished, so
      // that a shorter copy of it is not taken for a new file.
      g.done = true;
      const displaced = fresh.find((c) => sameInode(g.identity, c.identity));
      if (displaced) {
        this.#emit({
          type: 'truncated',
          path: this.#label,
          offset: g.offset,
          size: Number(displaced.stats.size),
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
    const history = first && !this.#resumedState;
    for (const c of orderNew(fresh, known)) {
      if (history && c !== live) {
        // There before we started: history, not ours to read.
        this.#gens.push({ ...this.#genOf(c, 0), done: true, fh: undefined });
        continue;
      }
      const offset = history && this.#opts.from === 'end' ? Number(c.stats.size) : 0;
      const gen = this.#genOf(c, offset);
      if (offset > 0) {
        const n = Math.min(offset, TAIL_BYTES);
        gen.tail = await readAt(c.fh, offset - n, n);
      }
      this.#gens.push(gen);
      keep.add(c);
    }
    for (const c of candidates) {
      if (!keep.has(c) && !this.#gens.some((g) => g.fh === c.fh)) {
        await c.fh.close().catch(() => {});
      }
    }
    const next = this.#gens.find((g) => !g.done && g.fh);
    if (!next) {
      if (!live) {
        if (!this.#missingReported) this.#emit({ type: 'missing', path: this.#label });
        this.#missingReported = true;
        this.#reappear = true;
      }
      return false;
    }
    const isLive = live !== undefined && next.fh === live.fh;
    if (isLive && this.#reappear) {
      this.#reappear = false;
      this.#emit({ type: 'recreated', path: this.#label, identity: next.identity });
    }
    this.#open(next, isLive, isLive || next.movedAway === true, await this.#tailOf(next));
    return true;
  }

  #genOf(c: Candidate, offset: number): Generation {
    return {
      identity: c.identity,
      offset,
      tail: EMPTY,
      size: Number(c.stats.size),
      path: c.path,
      done: false,
      fh: c.fh,
    };
  }

  #resetLines(offset: number): void {
    this.#splitter.reset(offset);
    this.#records?.reset();
  }

  #open(gen: Generation, live: boolean, wasLive: boolean, readTail: Buffer): void {
    this.#everOpened = true;
    this.#cur = { gen, live, wasLive, readPos: gen.offset, readTail, seenSize: gen.offset };
    this.#resetLines(gen.offset);
    this.#lastCheck = performance.now();
  }

  /**
   * A resumed state must match the files: a recorded file (same inode and first bytes) must
   * still be at least as long as its offset and hold the same bytes before it, and the file
   * at the path must not be a recorded one under another inode.
   */
  async #checkResumed(candidates: readonly Candidate[]): Promise<void> {
    const fail = this.#opts.onMismatch as (problem: string) => Error;
    for (const g of this.#gens) {
      if (g.done) continue;
      const same = candidates.find((c) => sameInode(g.identity, c.identity));
      if (same && headMatches(same.head, g.identity)) {
        const size = Number(same.stats.size);
        if (size < g.offset) {
          throw fail(
            `input ${this.#label}: offset ${g.offset} is past the end of ${same.path} (${size} bytes)`,
          );
        }
        if (!tailMatches(g, await this.#tailAt(same, g))) {
          throw fail(
            `input ${this.#label}: the bytes before offset ${g.offset} of ${same.path} are not the recorded ones`,
          );
        }
        continue;
      }
      const live = candidates.find((c) => !c.sibling);
      if (!same && live && g.identity.fingerprintBytes > 0 && headMatches(live.head, g.identity)) {
        throw fail(
          `input ${this.#label}: recorded inode ${g.identity.ino} does not match ${live.path} (inode ${live.identity.ino}), which holds the recorded content`,
        );
      }
    }
  }

  /** Stops following and releases every file; idempotent. */
  async close(): Promise<void> {
    this.#ended = true;
    this.#readyResolve?.();
    this.#waker.unwatch();
    this.#cur = null;
    for (const g of this.#gens) {
      const fh = g.fh;
      g.fh = undefined;
      await fh?.close().catch(() => {});
    }
  }
}
