import { readSync, type Stats, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { InputError } from '../errors.js';
import type { FileIdentity, FollowOptions, FollowState, TailEvent } from '../types.js';
import type { CopyLines } from '../write/sink.js';
import {
  type Generation,
  generationOf,
  isFollowState,
  rollTail,
  tailMatches,
} from './generations.js';
import {
  FINGERPRINT_BYTES,
  headMatches,
  readAt,
  sameInode,
  TAIL_BYTES,
  withHead,
} from './identity.js';
import { type GzipInfo, isCompressed } from './gzip-handle.js';
import { countNewlines, linesWithin } from './newlines.js';
import { type QuietStat, quietStatOf, sameQuietStat } from './quiet-stat.js';
import { RecordAssembler } from './records.js';
import { changedSince, Registry } from './registry.js';
import { type Candidate, scan, type ScanTarget } from './scan.js';
import { DEFAULT_ROTATED, SiblingMatcher } from './siblings.js';
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
  /** The lines were copied straight into the output by `copy` or `writeNow` (`parts` is then empty). */
  written: boolean;
  /** Written by `writeNow`, which counted them already. */
  counted?: boolean;
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
  /**
   * Writes whole lines into the output now, synchronously, or writes nothing and returns
   * false (the output is busy or failed). A small append then goes out from the shared read
   * buffer, without memory of its own; `data` is only valid during the call.
   */
  writeNow?: (data: Uint8Array, lines: number) => boolean;
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

/** The generation being read. */
interface Current {
  gen: Generation;
  /** At the input's path (not rotated away): its end is not the end of the generation. */
  live: boolean;
  readPos: number;
  /** The bytes just before `readPos`, compared before every read. */
  readTail: Buffer;
  /** The largest size this file was seen to have. */
  seenSize: number;
  /** The last copy reached the end of the file. */
  atEnd?: boolean;
  /** Modification time at the last look at the path. */
  mtime?: bigint;
  /** What the last look saw, in the number form a quiet look compares (see `quietStatOf`). */
  quiet?: QuietStat;
}

type ReadOutcome = LineBatch | 'eof' | 'more' | 'truncated' | 'look';

/** Where a follower keeps the batch it returned last until that one is committed. */
interface PendingSlot {
  pending: Batch | undefined;
}

/**
 * A `LineBatch` as `next()` returns it: a class (not a closure per batch), since a
 * follower makes one for every append it reads.
 */
class Batch implements LineBatch {
  readonly path: string;
  readonly identity: FileIdentity;
  readonly parts: LinePart[];
  readonly lines: number;
  readonly bytes: number;
  readonly endOffset: number;
  readonly written: boolean;
  counted = false;
  /** The follower's slot for its uncommitted batch; undefined once committed. */
  #slot: PendingSlot | undefined;
  readonly #cur: Current;
  readonly #tail: Buffer;

  constructor(
    slot: PendingSlot,
    label: string,
    cur: Current,
    parts: LinePart[],
    tail: Buffer,
    endOffset: number,
    writtenLines: number | undefined,
    writtenBytes: number | undefined,
  ) {
    this.path = label;
    this.identity = cur.gen.identity;
    this.parts = parts;
    this.#cur = cur;
    this.#tail = tail;
    this.endOffset = endOffset;
    this.written = writtenLines !== undefined;
    let lines = writtenLines ?? 0;
    let bytes = writtenBytes ?? 0;
    for (const p of parts) {
      lines += p.lines;
      bytes += p.data.length;
    }
    this.lines = lines;
    this.bytes = bytes;
    this.#slot = slot;
    slot.pending = this;
  }

  commit(): void {
    const slot = this.#slot;
    if (!slot) return;
    this.#slot = undefined;
    if (slot.pending === this) slot.pending = undefined;
    const gen = this.#cur.gen;
    gen.offset = this.endOffset;
    gen.tail = this.#tail;
    gen.size = Math.max(gen.size, this.#cur.seenSize);
  }
}

const EMPTY = Buffer.alloc(0);
const NEWLINE = 10;
/**
 * Appends up to this size are read here, with one positioned read, and handed to the writer
 * as data instead of a copy request: one message instead of a round trip to the writer thread.
 */
export const SMALL_READ_BYTES = 64 * 1024;

/** Bytes a file's first read takes when the bulk copy can take the rest (see `#readSome`). */
export const FIRST_READ_BYTES = 16 * 1024;
/** Shared by every follower: a small read is synchronous, its lines are copied out at once. */
let smallBuffer: Buffer | undefined;
const SAFETY_MS = 10_000;
/** Looks made at most when files keep changing under them (see `Registry.update`). */
const MAX_LOOKS = 8;

function codeOf(e: unknown): unknown {
  return e !== null && typeof e === 'object' && 'code' in e ? e.code : undefined;
}

/**
 * Follows one input by identity, not by path: a registry of every generation (each content
 * stream that has been or is at the path: device, inode, first bytes, offset, finished or
 * not) kept up to date against consistent looks at the path and its rotated siblings
 * (`NAME.1`, `NAME-20261201`…) and the files it holds open. Every generation is read to its
 * end, oldest first, before the next one, whatever happened while running or while down; a
 * truncated file's missing lines are taken from its copytruncate copy; a line is only ever
 * handed on whole: before bytes are handed on, the bytes before them are checked to be
 * those read there (before and after the read), so a file truncated and refilled is never
 * read from the middle of a line.
 */
export class FileFollower {
  readonly path: string;
  readonly #label: string;
  readonly #target: ScanTarget;
  readonly #opts: FollowerOptions;
  readonly #follow: boolean;
  readonly #interval: number;
  readonly #safety: number;
  readonly #signal: AbortSignal | undefined;
  readonly #splitter: LineSplitter;
  readonly #records: RecordAssembler | undefined;
  readonly #recordTimeout: number;
  #lastData = 0;
  readonly #waker = new Waker();
  readonly #registry: Registry;
  #cur: Current | null = null;
  #buf: Buffer | undefined;
  #check = Buffer.allocUnsafeSlow(Math.max(TAIL_BYTES, FINGERPRINT_BYTES));
  /** The first look has not run: it applies `from`. */
  #firstLook = true;
  /** Resuming a whole state: siblings never seen are generations rotated while down. */
  readonly #resumedState: boolean;
  #everOpened = false;
  #missingReported = false;
  #reappear = false;
  #ended = false;
  /** Waiting in `#waitLive` for an event on the live file (see `#appendNow`). */
  #parked = false;
  #lastCheck = Number.NEGATIVE_INFINITY;
  /** Damaged `.gz` files already reported (one report per file). */
  readonly #damageReported = new WeakSet<GzipInfo>();
  readonly #slot: PendingSlot = { pending: undefined };
  #readyResolve: (() => void) | undefined;
  /** Resolves once the first look at the input is done (opened, or found missing). */
  readonly ready: Promise<void>;

  constructor(path: string, options: FollowerOptions = {}) {
    this.path = path;
    this.#label = options.label ?? path;
    const dir = dirname(path);
    const name = basename(path);
    this.#target = {
      dir,
      path,
      label: this.#label,
      siblings: new SiblingMatcher(name, options.rotated ?? DEFAULT_ROTATED),
      exclude: options.exclude,
      readCompressed: options.compressed === 'read',
      onDamaged: (path, gz) => {
        if (this.#damageReported.has(gz.info)) return;
        this.#damageReported.add(gz.info);
        this.#emit({
          type: 'corrupt',
          path,
          readableBytes: gz.info.size,
          reason: gz.info.damage ?? 'damaged',
        });
      },
    };
    this.#opts = options;
    this.#follow = options.follow ?? false;
    this.#interval = options.intervalMs ?? 100;
    this.#safety = options.safetyIntervalMs ?? Math.max(SAFETY_MS, this.#interval);
    this.#signal = options.signal;
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
    let gens: Generation[] = [];
    if (isFollowState(from)) {
      gens = from.generations.map((p) => generationOf(p, path));
      for (const identity of from.done) {
        gens.push({ ...generationOf({ identity, offset: 0 }, path), done: true });
      }
    } else if (from !== undefined && typeof from === 'object') {
      gens = [generationOf({ identity: from.identity, offset: from.offset }, path)];
    }
    this.#registry = new Registry(this.#label, path, gens, (e) => this.#emit(e));
    if (this.#follow) this.#waker.watch(dir, name, () => this.#appendNow());
  }

  #emit(event: TailEvent): void {
    this.#opts.onEvent?.(event);
  }

  /** Where every unfinished generation is, for a checkpoint (as of the last commit). */
  state(): FollowState {
    return this.#registry.state();
  }

  /** The next batch of whole lines, or null once ended (EOF without follow, or aborted). */
  async next(): Promise<LineBatch | null> {
    this.#slot.pending?.commit(); // a batch not committed by the caller is taken as handed on
    for (;;) {
      if (this.#ended || this.#signal?.aborted) {
        await this.close();
        return null;
      }
      if (!this.#cur) {
        let found: boolean;
        try {
          found = await this.#look();
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
      if (outcome === 'truncated' || outcome === 'look') {
        // Its bytes before our position changed, or its first bytes just arrived: the
        // registry decides what the file holds now (and where the rest of this one is).
        cur.gen.size = Math.max(cur.gen.size, cur.seenSize);
        this.#resetLines(cur.gen.offset);
        this.#cur = null;
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
          // With a watch this is the rare safety look (one per file per safety interval): a
          // synchronous stat costs a few microseconds, a thread-pool round trip several times
          // that. Polling many files, the thread pool keeps the loop free.
          const st = watching
            ? statSync(this.path, { bigint: true, throwIfNoEntry: false })
            : await stat(this.path, { bigint: true });
          if (!st || !sameInode(cur.gen.identity, st)) {
            cur.live = false;
            return;
          }
          const changed = st.size !== BigInt(cur.readPos) || st.mtimeNs !== cur.mtime;
          cur.mtime = st.mtimeNs;
          cur.quiet = watching ? quietStatOf(st) : undefined;
          if (changed) return;
        } catch (e) {
          if (codeOf(e) === 'ENOENT') {
            cur.live = false;
            return;
          }
        }
      }
      const left = Math.max(1, Math.min(flushIn, every - (performance.now() - this.#lastCheck)));
      // Parked: an append may be handled inside its watch event (see `#appendNow`) until the
      // wait ends; the flag drops before anything else of this follower runs.
      this.#parked = true;
      // With a watch, the next safety looks run on the timer's tick and wake this loop only
      // when they see a change (records waiting for their flush keep the plain timeout).
      const quiet = watching && flushIn === Number.POSITIVE_INFINITY ? this.#quietLook : undefined;
      let woken: boolean;
      try {
        woken = await this.#waker.wait(left, this.#signal, quiet);
      } finally {
        this.#parked = false;
      }
      if (woken) return;
    }
  }

  /**
   * A safety look made on the waker's timer while the loop waits at the end of the live file:
   * the path still names the same file, with the size read to and the modification time of
   * the last look. Then the wait goes on for another safety interval (the delay returned);
   * anything else (a change, an error, a rename event) ends the wait, and the loop looks
   * again itself the usual way. The number form of `stat` allocates a fraction of the
   * bigint form's garbage, which 1,000 idle files make 100 times a second.
   */
  readonly #quietLook = (): number | undefined => {
    const cur = this.#cur;
    const seen = cur?.quiet;
    if (!this.#parked || !cur?.live || !seen || this.#waker.renamed || !this.#waker.watching) {
      return undefined;
    }
    let st: Stats | undefined;
    try {
      st = statSync(this.path, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (!st || !sameQuietStat(seen, st) || st.size !== cur.readPos) return undefined;
    this.#lastCheck = performance.now();
    return this.#safety;
  };

  /** At the end of a generation: its last line without newline, handed on whole (or dropped from a copy). */
  async #finishPartial(cur: Current): Promise<LineBatch | null> {
    if (isCompressed(cur.gen.fh) && cur.gen.fh.damaged) {
      // The content ends at damage (reported when the file was found): a last line
      // without newline there is a piece of a line, never handed on.
      this.#splitter.reset(cur.gen.offset);
      this.#records?.reset();
      return null;
    }
    const original = cur.gen.copyOf;
    if (original) {
      const fragment = this.#splitter.pendingBytes;
      const record = this.#records?.flush();
      if (record) return this.#batch(cur, [record], cur.readTail);
      this.#splitter.reset(cur.gen.offset);
      cur.gen.copyOf = undefined;
      this.#emit({
        type: 'truncated',
        path: original.path,
        offset: original.offset,
        size: cur.gen.size,
        copy: cur.gen.path,
        lostBytes: fragment + Math.max(0, original.size - cur.seenSize),
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
    if (gen.wasLive) {
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
    if (copy && this.#smallReadable(cur, fh)) {
      const small = this.#readSmall(cur, fh.fd);
      if (small !== undefined) return small;
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
        return this.#batch(cur, [], cur.readTail, done.lines, done.bytes);
      }
    }
    const k = cur.readTail.length;
    const size = chunk + TAIL_BYTES;
    if (!this.#buf) this.#buf = this.#opts.allocate?.(size) ?? Buffer.allocUnsafeSlow(size);
    const buf = this.#buf;
    // A file's first read only has to make its fingerprint and reach a line's end when the
    // bulk copy, which skips the per-line work of this path, can take the rest (see
    // `#smallReadable`: never for records or a decompressed stream).
    const copiesLater = copy !== undefined && !this.#records && !isCompressed(fh);
    const want = cur.readPos === 0 && copiesLater ? Math.min(chunk, FIRST_READ_BYTES) : chunk;
    const { bytesRead } = await fh.read(buf, 0, k + want, cur.readPos - k);
    if (!(await this.#anchored(cur, buf.subarray(0, bytesRead), false))) return 'truncated';
    if (bytesRead === k) return 'eof';
    // Nothing known of this file yet (it was empty when found): the registry looks at it
    // (and at what appeared beside it meanwhile, older than these bytes) before any is read.
    if (cur.readPos === 0 && cur.gen.identity.fingerprintBytes === 0) return 'look';
    // Read again after the read: still the same bytes before our position, so the read
    // did not straddle a truncation.
    if (!(await this.#anchored(cur, undefined, true))) return 'truncated';
    const at = cur.readPos;
    const data = buf.subarray(k, bytesRead);
    const tailBefore = cur.readTail;
    if (at < FINGERPRINT_BYTES && cur.gen.identity.fingerprintBytes < FINGERPRINT_BYTES) {
      // The bytes before `at` are the tail (all of them, as at < 256): with these, the head.
      const head = Buffer.concat([tailBefore, data]).subarray(0, FINGERPRINT_BYTES);
      if (tailBefore.length === at && head.length > cur.gen.identity.fingerprintBytes) {
        cur.gen.identity = withHead(cur.gen.identity, head);
        cur.gen.head = Buffer.from(head);
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
    if (
      this.#opts.copy !== undefined &&
      !this.#records &&
      !isCompressed(fh) &&
      committed > at &&
      data[committed - at - 1] === NEWLINE &&
      this.#splitter.pendingBytes === cur.readPos - committed
    ) {
      // The read ended inside a line: step back to that line's start, so that the next read
      // begins at a line and the bulk copy (or the small read) can take the rest of the file
      // (held, the partial line kept every later read of a big file on this line-by-line
      // path). Its bytes are read again then.
      cur.readPos = committed;
      cur.readTail = tail;
      this.#splitter.reset(committed);
    }
    return this.#batch(cur, parts, tail);
  }

  /**
   * A small append (the usual case when following), read on this thread with one positioned
   * read of the bytes before `readPos` and what follows, and checked again after the read
   * (as `copyLines` does): its whole lines as one part of their own memory, so that the
   * output takes them without a round trip to the writer thread. Undefined when the append
   * is for another path: more than `SMALL_READ_BYTES` (the writer thread copies it), no whole
   * line (the line-by-line path holds the partial one), a line over `maxLineBytes`, a read error.
   */
  #readSmall(cur: Current, fd: number, onlyWritten = false): ReadOutcome | undefined {
    const k = cur.readTail.length;
    smallBuffer ??= Buffer.allocUnsafeSlow(TAIL_BYTES + SMALL_READ_BYTES);
    const buf = smallBuffer;
    let n: number;
    try {
      n = readSync(fd, buf, 0, k + SMALL_READ_BYTES, cur.readPos - k);
    } catch {
      return undefined;
    }
    if (n < k || buf.compare(cur.readTail, 0, k, 0, k) !== 0) return 'truncated';
    if (n === k) return 'eof';
    if (n === k + SMALL_READ_BYTES) return undefined;
    const last = buf.lastIndexOf(NEWLINE, n - 1);
    if (last < k) return undefined;
    const end = last + 1;
    if (!linesWithin(buf, k, end, this.#splitter.maxLineBytes)) return undefined;
    // Still the same bytes before our position after the read: it did not straddle a truncation.
    let again: number;
    try {
      again = readSync(fd, this.#check, 0, k, cur.readPos - k);
    } catch {
      return undefined;
    }
    if (again !== k || this.#check.compare(cur.readTail, 0, k, 0, k) !== 0) return 'truncated';
    const read = buf.subarray(k, end);
    // A few lines: counted with indexOf (the bulk counter pays a setup for each call).
    let lines = 0;
    if (read.length > 4096) lines = countNewlines(read, 0, read.length);
    else for (let i = read.indexOf(NEWLINE); i >= 0; i = read.indexOf(NEWLINE, i + 1)) lines++;
    // The output takes the lines now when it can (the usual case when following); otherwise
    // they get memory of their own and go the usual way.
    const wrote = this.#opts.writeNow?.(read, lines) ?? false;
    if (!wrote && onlyWritten) return undefined;
    const at = cur.readPos;
    cur.readPos += read.length;
    cur.readTail = rollTail(cur.readTail, read);
    cur.seenSize = Math.max(cur.seenSize, cur.readPos);
    // Read to the end of the file, which ends with this newline: wait for a change next.
    cur.atEnd = end === n;
    this.#splitter.reset(cur.readPos);
    if (wrote) {
      // Written in this tick: recorded in the same tick, so a checkpoint sees both or neither.
      const batch = this.#batch(cur, [], cur.readTail, lines, read.length, true);
      batch.commit();
      return batch;
    }
    const data = Buffer.allocUnsafeSlow(read.length);
    read.copy(data);
    return this.#batch(cur, [{ data, offset: at, lines, addedNewline: false }], cur.readTail);
  }

  /**
   * An append handled inside the watch event, without waking the follower's loop: only
   * while that loop waits in `#waitLive` for an event on the live file (nothing of this
   * follower under way, its last batch committed), and only when the append is whole lines
   * that `writeNow` writes at once, read to the end of the file. True when handled; false
   * when nothing was read or written (the loop is woken and does it the usual way).
   */
  #appendNow(): boolean {
    if (!this.#parked || this.#waker.renamed || this.#signal?.aborted) return false;
    const cur = this.#cur;
    const fh = cur?.gen.fh;
    if (!cur || !fh || !cur.live || this.#slot.pending || !this.#smallReadable(cur, fh)) {
      return false;
    }
    const outcome = this.#readSmall(cur, fh.fd, true);
    if (typeof outcome !== 'object') return false;
    // What woke nobody must not be skipped later: the loop reads again when it wakes.
    const reachedEnd = cur.atEnd === true;
    cur.atEnd = false;
    return reachedEnd;
  }

  /** Whether `#readSmall` may read the current generation (see `#readSome`). */
  #smallReadable(cur: Current, fh: NonNullable<Generation['fh']>): boolean {
    // The writer thread copies once the fingerprint is whole: the first bytes of a file are
    // read here, so that its fingerprint is made of what was read (not of what the file
    // holds later, after a truncation).
    const headDone =
      cur.readPos > 0 &&
      (cur.gen.identity.fingerprintBytes >= FINGERPRINT_BYTES || cur.readPos >= FINGERPRINT_BYTES);
    return (
      this.#opts.copy !== undefined &&
      !this.#records &&
      this.#splitter.idle &&
      headDone &&
      !isCompressed(fh)
    );
  }

  /**
   * Whether the file still holds, just before the read position, what was read there (its
   * first bytes when at 0): in `read` (a read that began there), or read again now.
   */
  async #anchored(cur: Current, read: Buffer | undefined, again: boolean): Promise<boolean> {
    const fh = cur.gen.fh;
    if (!fh) return false;
    if (cur.readPos === 0) {
      const n = cur.gen.identity.fingerprintBytes;
      if (n === 0) return true;
      let head = read;
      if (again || !head) {
        const { bytesRead } = await fh.read(this.#check, 0, n, 0);
        head = this.#check.subarray(0, bytesRead);
      }
      return headMatches(head, cur.gen.identity);
    }
    const k = cur.readTail.length;
    let before = read?.subarray(0, k);
    if (again || !before) {
      const { bytesRead } = await fh.read(this.#check, 0, k, cur.readPos - k);
      before = this.#check.subarray(0, bytesRead);
    }
    return before.length === k && before.equals(cur.readTail);
  }

  /**
   * The batch of `parts` (or, with `written`, of lines already in the output), to be
   * committed by the caller or at the next `next()`.
   */
  #batch(
    cur: Current,
    parts: LinePart[],
    tail: Buffer,
    written?: number,
    writtenBytes?: number,
    counted = false,
  ): LineBatch {
    const end = this.#committed();
    const batch = new Batch(this.#slot, this.#label, cur, parts, tail, end, written, writtenBytes);
    batch.counted = counted;
    return batch;
  }

  /** Everything before this offset has been handed on (or skipped). */
  #committed(): number {
    return this.#records?.pendingOffset ?? this.#splitter.committed;
  }

  /**
   * Looks at the path, its siblings and the files held, brings the registry up to date and
   * opens the oldest unfinished generation. False when there is nothing to read (the path
   * is missing).
   */
  async #look(): Promise<boolean> {
    const first = this.#firstLook;
    this.#firstLook = false;
    let cands: Candidate[] = [];
    let next: Awaited<ReturnType<Registry['update']>>;
    for (let attempt = 1; ; attempt++) {
      const held = this.#registry.held();
      cands = await scan(this.#target, held);
      try {
        if (first && this.#opts.onMismatch) await this.#checkResumed(cands);
        next = await this.#registry.update(cands, {
          history: first && !this.#resumedState,
          fromEnd: this.#opts.from === 'end',
          lastTry: attempt >= MAX_LOOKS,
        });
      } finally {
        // Every file no generation holds any more is closed.
        for (const fh of new Set([...held.map((h) => h.fh), ...cands.map((c) => c.fh)])) {
          if (!this.#registry.holds(fh)) await fh.close().catch(() => {});
        }
      }
      if (next !== 'again') break;
    }
    const live = cands.some((c) => c.live);
    if (!next) {
      if (!live) {
        if (!this.#missingReported) this.#emit({ type: 'missing', path: this.#label });
        this.#missingReported = true;
        this.#reappear = true;
      }
      return false;
    }
    const isLive = next.view.live;
    if (isLive && this.#reappear) {
      this.#reappear = false;
      this.#emit({ type: 'recreated', path: this.#label, identity: next.gen.identity });
    }
    const tail = await this.#tailOf(next.gen);
    // Its file changed since the look (truncated): look again.
    if (!tail) return this.#look();
    this.#open(next.gen, isLive, tail);
    return true;
  }

  /**
   * The bytes before a generation's offset, as the look found them (the registry keeps them).
   * Only a digest known: read now and checked against it (undefined when they differ).
   */
  async #tailOf(gen: Generation): Promise<Buffer | undefined> {
    if (Buffer.isBuffer(gen.tail)) return gen.tail;
    const n = Math.min(gen.tail.bytes, gen.offset);
    const bytes = gen.fh ? await readAt(gen.fh, gen.offset - n, n) : EMPTY;
    return tailMatches(gen, bytes) ? bytes : undefined;
  }

  #resetLines(offset: number): void {
    this.#splitter.reset(offset);
    this.#records?.reset();
  }

  #open(gen: Generation, live: boolean, readTail: Buffer): void {
    this.#everOpened = true;
    this.#cur = { gen, live, readPos: gen.offset, readTail, seenSize: gen.offset };
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
    for (const g of this.#registry.gens) {
      if (g.done) continue;
      const same = candidates.find((c) => sameInode(g.identity, c.identity));
      if (same && headMatches(same.head, g.identity)) {
        const size = Number(same.stats.size);
        if (size < g.offset) {
          throw fail(
            `input ${this.#label}: offset ${g.offset} is past the end of ${same.path} (${size} bytes)`,
          );
        }
        const n = Math.min(g.offset, Buffer.isBuffer(g.tail) ? g.tail.length : g.tail.bytes);
        const before = await readAt(same.fh, g.offset - n, n);
        // A file truncated since the look is for the next look to judge.
        if (!tailMatches(g, before) && !(await changedSince(same))) {
          throw fail(
            `input ${this.#label}: the bytes before offset ${g.offset} of ${same.path} are not the recorded ones`,
          );
        }
        continue;
      }
      const live = candidates.find((c) => c.live);
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
    for (const g of this.#registry.gens) {
      const fh = g.fh;
      g.fh = undefined;
      await fh?.close().catch(() => {});
    }
  }
}
