import { ownedConcat, ownedCopy } from './buffers.js';
import { countNewlines, linesWithin } from './newlines.js';
import type { LongLinePolicy } from '../types.js';

const NEWLINE = 10;

/**
 * A run of whole output lines taken from one file, each ending with a newline. When
 * `addedNewline` is set the part is a single line whose newline is not in the file (a split
 * piece of a long line, or a last line flushed at EOF).
 */
export interface LinePart {
  data: Buffer;
  /** File offset of the part's first byte. */
  offset: number;
  /** Number of lines in the part. */
  lines: number;
  addedNewline: boolean;
  /** The part is one multi-line record (its lines belong together). */
  record?: boolean;
}

/** Reports a line longer than the limit (once per line). */
export type LongLineReporter = (offset: number, bytes: number, action: LongLinePolicy) => void;

/**
 * Cuts a byte stream into whole lines, holding an unterminated tail until its newline arrives,
 * with memory bounded by `maxLineBytes` (longer lines are split into pieces or skipped).
 * `committed` is the resume offset: everything before it has been emitted or skipped.
 */
export class LineSplitter {
  readonly #max: number;
  readonly #policy: LongLinePolicy;
  readonly #report: LongLineReporter;
  #pending: Buffer[] = [];
  #pendingLen = 0;
  #pendingStart = 0;
  #skipping = false;
  #reported = false;
  /** Offset after the last byte emitted or skipped. */
  committed = 0;

  constructor(maxLineBytes: number, policy: LongLinePolicy, report: LongLineReporter) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
    }
    this.#max = maxLineBytes;
    this.#policy = policy;
    this.#report = report;
  }

  /** The longest line kept whole. */
  get maxLineBytes(): number {
    return this.#max;
  }

  /** True when no partial line is held (nor being skipped): the next byte starts a line. */
  get idle(): boolean {
    return this.#pendingLen === 0 && !this.#skipping;
  }

  /** Bytes held for a line not yet complete. */
  get pendingBytes(): number {
    return this.#pendingLen;
  }

  /** Forgets any held bytes and resumes at `offset` (truncation, a new file). */
  reset(offset: number): void {
    this.#pending = [];
    this.#pendingLen = 0;
    this.#skipping = false;
    this.#reported = false;
    this.committed = offset;
  }

  /**
   * Splits `chunk`, read at file offset `offset`. Unless `donate` is set it is copied and the
   * caller may reuse it; with `donate`, a run of lines filling at least half of `chunk`'s
   * ArrayBuffer is a view of it (no copy): the caller then gives that memory up (it may be
   * transferred to the writer thread) — a part whose `data.buffer` is `chunk.buffer` says so.
   */
  push(chunk: Buffer, offset: number, donate = false): LinePart[] {
    const out: LinePart[] = [];
    const n = chunk.length;
    let pos = 0;
    if (this.#pendingLen > 0 || this.#skipping) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.#append(chunk, 0, n, offset, out);
        return out;
      }
      this.#append(chunk, 0, nl, offset, out);
      this.#complete(offset + nl + 1, out);
      pos = nl + 1;
    }
    // Fast path: every byte up to the last newline is whole lines, none too long (checked
    // with a few indexOf calls), counted four bytes at a time: one part, no per-line work.
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= pos && linesWithin(chunk, pos, last + 1, this.#max)) {
      const lines = countNewlines(chunk, pos, last + 1);
      // Donated only when the lines fill half of the memory at least, so that memory in
      // flight stays within twice the bytes in flight (a small read while following is copied).
      const give = donate && (last + 1 - pos) * 2 >= chunk.buffer.byteLength;
      const data = give ? chunk.subarray(pos, last + 1) : ownedCopy(chunk, pos, last + 1);
      out.push(part(data, offset + pos, lines));
      this.committed = offset + last + 1;
      pos = last + 1;
      if (pos < n) this.#append(chunk, pos, n, offset, out);
      return out;
    }
    let regionStart = pos;
    let regionLines = 0;
    const max = this.#max;
    while (pos < n) {
      const nl = chunk.indexOf(NEWLINE, pos);
      if (nl < 0) break;
      if (nl - pos > max) {
        if (regionLines > 0) {
          out.push(part(ownedCopy(chunk, regionStart, pos), offset + regionStart, regionLines));
          regionLines = 0;
        }
        this.#append(chunk, pos, nl, offset, out);
        this.#complete(offset + nl + 1, out);
        pos = nl + 1;
        regionStart = pos;
        continue;
      }
      regionLines++;
      pos = nl + 1;
    }
    if (regionLines > 0) {
      out.push(part(ownedCopy(chunk, regionStart, pos), offset + regionStart, regionLines));
      this.committed = offset + pos;
    }
    if (pos < n) this.#append(chunk, pos, n, offset, out);
    return out;
  }

  /** Emits a held unterminated line (at EOF, before rotation or truncation), with a newline added. */
  flush(): LinePart | null {
    if (this.#skipping) {
      this.#skipping = false;
      this.#reported = false;
      this.committed = this.#pendingStart;
      return null;
    }
    if (this.#pendingLen === 0) return null;
    const p: LinePart = {
      data: ownedConcat(this.#pending, true),
      offset: this.#pendingStart,
      lines: 1,
      addedNewline: true,
    };
    this.committed = this.#pendingStart + this.#pendingLen;
    this.#pending = [];
    this.#pendingLen = 0;
    this.#reported = false;
    return p;
  }

  /** Holds `chunk[start, end)` as part of the current line, splitting or skipping past the limit. */
  #append(chunk: Buffer, start: number, end: number, offset: number, out: LinePart[]): void {
    if (this.#skipping) {
      this.#pendingStart = offset + end;
      return;
    }
    if (end > start) {
      if (this.#pendingLen === 0) this.#pendingStart = offset + start;
      this.#pending.push(ownedCopy(chunk, start, end));
      this.#pendingLen += end - start;
    }
    while (this.#pendingLen > this.#max) {
      if (!this.#reported) {
        this.#reported = true;
        this.#report(this.#pendingStart, this.#pendingLen, this.#policy);
      }
      if (this.#policy === 'skip') {
        this.#skipping = true;
        this.#pendingStart = offset + end;
        this.#pending = [];
        this.#pendingLen = 0;
        return;
      }
      const all = ownedConcat(this.#pending);
      out.push({
        data: ownedCopy(all, 0, this.#max, true),
        offset: this.#pendingStart,
        lines: 1,
        addedNewline: true,
      });
      this.#pendingStart += this.#max;
      this.committed = this.#pendingStart;
      this.#pending = [all.subarray(this.#max)];
      this.#pendingLen = all.length - this.#max;
    }
  }

  /** The newline ending the held line was found; `next` is the offset after it. */
  #complete(next: number, out: LinePart[]): void {
    if (this.#skipping) {
      this.#skipping = false;
    } else {
      const data = ownedConcat(this.#pending, true);
      out.push({ data, offset: next - data.length, lines: 1, addedNewline: false });
    }
    this.#pending = [];
    this.#pendingLen = 0;
    this.#reported = false;
    this.committed = next;
  }
}

function part(data: Buffer, offset: number, lines: number): LinePart {
  return { data, offset, lines, addedNewline: false };
}
