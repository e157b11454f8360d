import { ownedConcat } from './buffers.js';
import type { LinePart } from './splitter.js';

const NEWLINE = 10;

/** How lines are grouped into multi-line records (stack traces and the like). */
export interface MultilineOptions {
  /** A line matching this starts a record; the lines after it, until the next match, belong to it. */
  start: RegExp;
  /** Longest record in bytes (default 1 MiB): a longer one is handed on in pieces (reported as `long-line`). */
  maxBytes?: number;
  /** With `follow`, a record is handed on once no line came for this long (default 1000 ms). */
  timeoutMs?: number;
}

/**
 * Groups whole lines into records: a line matching `start` opens a record, the lines that
 * follow join it. A record is handed on once the next one starts, when it grows past the
 * size limit, or when flushed (end of a file, timeout). `pendingOffset` is where the record
 * being gathered starts: nothing from there on has been handed on.
 */
export class RecordAssembler {
  readonly #start: RegExp;
  readonly #max: number;
  readonly #onLong: (offset: number, bytes: number) => void;
  #lines: Buffer[] = [];
  #bytes = 0;
  #offset = 0;

  constructor(options: MultilineOptions, onLong: (offset: number, bytes: number) => void) {
    // A global or sticky regex would carry lastIndex from one line to the next.
    this.#start = new RegExp(options.start.source, options.start.flags.replace(/[gy]/g, ''));
    this.#max = options.maxBytes ?? 1024 * 1024;
    this.#onLong = onLong;
  }

  /** True while a record is being gathered. */
  get pending(): boolean {
    return this.#lines.length > 0;
  }

  /** Forgets the record being gathered. */
  reset(): void {
    this.#lines = [];
    this.#bytes = 0;
  }

  /** Takes whole lines; returns the records completed by them, one part each. */
  push(parts: readonly LinePart[]): LinePart[] {
    const out: LinePart[] = [];
    for (const part of parts) {
      const { data } = part;
      if (part.addedNewline) {
        this.#add(data, part.offset, out);
        continue;
      }
      let pos = 0;
      while (pos < data.length) {
        const nl = data.indexOf(NEWLINE, pos);
        this.#add(data.subarray(pos, nl + 1), part.offset + pos, out);
        pos = nl + 1;
      }
    }
    return out;
  }

  #add(line: Buffer, offset: number, out: LinePart[]): void {
    const text = line.subarray(0, line.length - 1).toString('utf8');
    if (this.#lines.length > 0 && this.#start.test(text)) this.#emit(out);
    if (this.#lines.length === 0) this.#offset = offset;
    this.#lines.push(line);
    this.#bytes += line.length;
    if (this.#bytes > this.#max) {
      this.#onLong(this.#offset, this.#bytes);
      this.#emit(out);
    }
  }

  #emit(out: LinePart[]): void {
    if (this.#lines.length === 0) return;
    const data = ownedConcat(this.#lines); // owned: it may be transferred to the writer thread
    out.push({
      data,
      offset: this.#offset,
      lines: this.#lines.length,
      addedNewline: false,
      record: true,
    });
    this.#lines = [];
    this.#bytes = 0;
  }

  /** Hands on the record being gathered, if any. */
  flush(): LinePart | null {
    const out: LinePart[] = [];
    this.#emit(out);
    return out[0] ?? null;
  }

  /** Where the record being gathered starts, or undefined. */
  get pendingOffset(): number | undefined {
    return this.#lines.length > 0 ? this.#offset : undefined;
  }
}
