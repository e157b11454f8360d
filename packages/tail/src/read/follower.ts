import type { BigIntStats } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { contentMatches, FINGERPRINT_BYTES, identify, sameInode } from './identity.js';
import type { CopyLines } from '../write/sink.js';
import { type LinePart, LineSplitter } from './splitter.js';
import type { FileIdentity, FollowOptions, TailEvent } from '../types.js';
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
}

/** Follower options plus a hook the merger uses to record where a newly opened file starts. */
export interface FollowerOptions extends FollowOptions {
  onStart?: (identity: FileIdentity, offset: number) => void;
  /** Memory to read into (recycled from the writer); a new buffer when it returns undefined. */
  allocate?: (size: number) => Buffer | undefined;
  /**
   * Copies whole lines from the open file straight into the output (the merge's writer
   * thread): used instead of reading whenever no partial line is held. What it leaves (a
   * partial last line, a line too long) is read here, line by line.
   */
  copy?: CopyLines;
}

type Change = 'same' | 'truncated' | 'replaced' | 'gone';

function codeOf(e: unknown): unknown {
  return e !== null && typeof e === 'object' && 'code' in e ? e.code : undefined;
}

/**
 * Follows one path: reads big chunks, cuts them into whole lines, and on EOF decides (when
 * following) whether the file grew, was truncated, replaced (rotation) or removed. The file
 * being left is always read to its end before switching to the new one.
 */
export class FileFollower {
  readonly path: string;
  readonly #opts: FollowerOptions;
  readonly #follow: boolean;
  readonly #interval: number;
  readonly #signal: AbortSignal | undefined;
  readonly #splitter: LineSplitter;
  readonly #waker = new Waker();
  #buf: Buffer | undefined;
  #fh: FileHandle | null = null;
  #identity: FileIdentity | undefined;
  #position = 0;
  #firstAttempt = true;
  #missingReported = false;
  #reappear = false;
  #switch: Exclude<Change, 'same'> | null = null;
  #switchDeleted = false;
  #ended = false;
  #lastCheck = Number.NEGATIVE_INFINITY;

  constructor(path: string, options: FollowerOptions = {}) {
    this.path = path;
    this.#opts = options;
    this.#follow = options.follow ?? false;
    this.#interval = options.intervalMs ?? 100;
    this.#signal = options.signal;
    this.#splitter = new LineSplitter(
      options.maxLineBytes ?? 1024 * 1024,
      options.longLines ?? 'split',
      (offset, bytes, action) => this.#emit({ type: 'long-line', path, offset, bytes, action }),
    );
  }

  #emit(event: TailEvent): void {
    this.#opts.onEvent?.(event);
  }

  /** The next batch of whole lines, or null once ended (EOF without follow, or aborted). */
  async next(): Promise<LineBatch | null> {
    for (;;) {
      if (this.#ended || this.#signal?.aborted) {
        await this.close();
        return null;
      }
      if (!this.#fh) {
        if (!(await this.#open())) {
          if (!this.#follow) {
            await this.close();
            const enoent = Object.assign(new Error('no such file or directory'), {
              code: 'ENOENT',
            });
            throw new InputError(this.path, 'open', enoent);
          }
          await this.#waker.wait(this.#interval, this.#signal);
          continue;
        }
      }
      const fh = this.#fh as FileHandle;
      const copy = this.#opts.copy;
      if (copy && this.#splitter.idle) {
        const size = this.#opts.chunkBytes ?? 1024 * 1024;
        const done = await copy(fh.fd, this.#position, size, this.#splitter.maxLineBytes);
        if (done.bytes > 0) {
          this.#position += done.bytes;
          this.#splitter.reset(this.#position);
          // The lines are in the output already: nothing may fail between here and the return.
          await this.#refreshFingerprint(fh).catch(() => {});
          return { ...this.#batch([]), lines: done.lines, bytes: done.bytes, written: true };
        }
      }
      if (!this.#buf) {
        const size = this.#opts.chunkBytes ?? 1024 * 1024;
        this.#buf = this.#opts.allocate?.(size) ?? Buffer.allocUnsafeSlow(size);
      }
      let bytesRead: number;
      try {
        ({ bytesRead } = await fh.read(this.#buf, 0, this.#buf.length, this.#position));
      } catch (e) {
        await this.close();
        throw new InputError(this.path, 'read', e);
      }
      if (bytesRead > 0) {
        const at = this.#position;
        this.#position += bytesRead;
        // The read buffer is donated: runs of lines stay views of it (no copy) and a new
        // buffer is taken for the next read when any part kept it.
        const buf = this.#buf;
        const parts = this.#splitter.push(buf.subarray(0, bytesRead), at, true);
        if (parts.some((p) => p.data.buffer === buf.buffer)) this.#buf = undefined;
        if (parts.length > 0) {
          await this.#refreshFingerprint(fh);
          return this.#batch(parts);
        }
        continue;
      }
      if (this.#switch) {
        const last = this.#splitter.flush();
        if (last) return this.#batch([last]);
        // Without follow, a file renamed away while we were stopped ends the input.
        if (!this.#follow && this.#switch === 'gone') this.#ended = true;
        await this.#performSwitch(fh);
        continue;
      }
      if (!this.#follow) {
        const last = this.#splitter.flush();
        this.#ended = true;
        return last ? this.#batch([last]) : null;
      }
      // Stat the path at most once per interval, or at once after a rename/delete event:
      // a busy file wakes the follower on every write, and most wakes are plain growth.
      const now = performance.now();
      if (now - this.#lastCheck < this.#interval && !this.#waker.renamed) {
        await this.#waker.wait(this.#interval, this.#signal);
        continue;
      }
      this.#lastCheck = now;
      this.#waker.renamed = false;
      const change = await this.#check(fh);
      if (change === 'same') await this.#waker.wait(this.#interval, this.#signal);
      else this.#switch = change; // read once more to the end before acting on it
    }
  }

  #batch(parts: LinePart[]): LineBatch {
    let lines = 0;
    let bytes = 0;
    for (const p of parts) {
      lines += p.lines;
      bytes += p.data.length;
    }
    return {
      path: this.path,
      identity: this.#identity as FileIdentity,
      parts,
      lines,
      bytes,
      endOffset: this.#splitter.committed,
      written: false,
    };
  }

  async #refreshFingerprint(fh: FileHandle): Promise<void> {
    const id = this.#identity;
    if (id && id.fingerprintBytes < FINGERPRINT_BYTES && this.#position > id.fingerprintBytes) {
      this.#identity = await identify(fh, await fh.stat({ bigint: true }));
    }
  }

  /** What happened to the path since it was opened, looked at when the open file is at EOF. */
  async #check(fh: FileHandle): Promise<Change> {
    let st: BigIntStats;
    try {
      st = await stat(this.path, { bigint: true });
    } catch (e) {
      if (codeOf(e) !== 'ENOENT') return 'same';
      this.#switchDeleted = (await fh.stat({ bigint: true })).nlink === 0n;
      return 'gone';
    }
    if (this.#identity && sameInode(this.#identity, st)) {
      return st.size < BigInt(this.#position) ? 'truncated' : 'same';
    }
    this.#switchDeleted = (await fh.stat({ bigint: true })).nlink === 0n;
    return 'replaced';
  }

  async #performSwitch(fh: FileHandle): Promise<void> {
    const kind = this.#switch;
    this.#switch = null;
    if (kind === 'truncated') {
      const size = Number((await fh.stat({ bigint: true })).size);
      this.#emit({ type: 'truncated', path: this.path, offset: this.#position, size });
      this.#identity = await identify(fh, await fh.stat({ bigint: true }));
      this.#start(0);
      return;
    }
    const previous = this.#identity;
    await this.#closeFile();
    if (this.#switchDeleted) {
      this.#emit({ type: 'deleted', path: this.path });
      this.#reappear = true;
    } else if (kind === 'gone') {
      this.#emit({ type: 'rotated', path: this.path, previous });
      this.#reappear = true;
    } else {
      this.#emit({ type: 'rotated', path: this.path, previous });
    }
  }

  #start(position: number): void {
    this.#position = position;
    this.#splitter.reset(position);
    this.#opts.onStart?.(this.#identity as FileIdentity, position);
  }

  /** Opens the path; false when it does not exist. Applies `from` on the first attempt only. */
  async #open(): Promise<boolean> {
    const first = this.#firstAttempt;
    this.#firstAttempt = false;
    const from = first ? (this.#opts.from ?? 'start') : 'start';
    let fh: FileHandle;
    try {
      fh = await open(this.path, 'r');
    } catch (e) {
      if (codeOf(e) !== 'ENOENT') throw new InputError(this.path, 'open', e);
      if (first && typeof from === 'object' && (await this.#resumeRenamed(from, 'gone'))) {
        return true;
      }
      if (!this.#missingReported) this.#emit({ type: 'missing', path: this.path });
      this.#missingReported = true;
      this.#reappear = true;
      return false;
    }
    try {
      const st = await fh.stat({ bigint: true });
      this.#fh = fh;
      this.#identity = await identify(fh, st);
      let position = 0;
      if (from === 'end') {
        position = Number(st.size);
      } else if (typeof from === 'object') {
        if (sameInode(from.identity, st)) {
          if (st.size < BigInt(from.offset)) {
            const size = Number(st.size);
            this.#emit({ type: 'truncated', path: this.path, offset: from.offset, size });
          } else if (await contentMatches(fh, from.identity)) {
            position = from.offset;
          } else {
            // Same inode, other content: rewritten in place, or the inode was reused.
            this.#emit({ type: 'rotated', path: this.path, previous: from.identity });
          }
        } else {
          if (await this.#resumeRenamed(from, 'replaced')) {
            await fh.close();
            return true;
          }
          this.#emit({ type: 'rotated', path: this.path, previous: from.identity });
        }
      }
      if (this.#reappear) {
        this.#reappear = false;
        this.#emit({ type: 'recreated', path: this.path, identity: this.#identity });
      }
      this.#watch();
      this.#start(position);
      return true;
    } catch (e) {
      await this.#closeFile();
      throw e instanceof InputError ? e : new InputError(this.path, 'open', e);
    }
  }

  /**
   * After a restart the checkpointed file may have been renamed (rotated) meanwhile: look for
   * it beside the path and finish it from the checkpointed offset before the new file.
   */
  async #resumeRenamed(
    from: { offset: number; identity: FileIdentity },
    then: 'replaced' | 'gone',
  ): Promise<boolean> {
    const dir = dirname(this.path);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return false;
    }
    for (const name of names) {
      if (name === basename(this.path)) continue;
      const candidate = join(dir, name);
      try {
        const st = await stat(candidate, { bigint: true });
        if (!st.isFile() || !sameInode(from.identity, st)) continue;
        const fh = await open(candidate, 'r');
        const matches = await contentMatches(fh, from.identity).catch(() => false);
        if (!matches) {
          await fh.close();
          continue;
        }
        this.#fh = fh;
        this.#identity = await identify(fh, await fh.stat({ bigint: true }));
        this.#switch = then;
        this.#switchDeleted = false;
        this.#start(from.offset);
        return true;
      } catch {
        // A sibling that vanished or cannot be read is simply not the file we look for.
      }
    }
    return false;
  }

  #watch(): void {
    if (this.#follow) this.#waker.watch(this.path);
  }

  async #closeFile(): Promise<void> {
    this.#waker.unwatch();
    const fh = this.#fh;
    this.#fh = null;
    await fh?.close();
  }

  /** Stops following and releases the file; idempotent. */
  async close(): Promise<void> {
    this.#ended = true;
    await this.#closeFile();
  }
}
