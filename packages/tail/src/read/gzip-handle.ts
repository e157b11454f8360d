import type { BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { FINGERPRINT_BYTES } from './identity.js';

/** Compressed bytes read per call. */
const RAW_CHUNK = 64 * 1024;
/** Decompressed bytes kept behind the furthest read, so re-reads of a tail need no restart. */
const MIN_WINDOW = 1024 * 1024;
/** Files whose decompressed size and start are remembered (rotated `.gz` files do not change). */
const MAX_CACHED = 512;

/** What one pass over a `.gz` file found. */
export interface GzipInfo {
  /** Decompressed bytes (up to the damage, if any). */
  size: number;
  /** The first decompressed bytes (up to the fingerprint length). */
  head: Buffer;
  /** Why decompression stopped early (corrupt or truncated), if it did. */
  damage?: string;
}

const cache = new Map<string, GzipInfo>();

function keyOf(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
}

/**
 * Streams the decompressed content of a `.gz` file from its start: `next()` gives the next
 * decompressed chunk, null at the end; a corrupt or truncated file ends early with `damage`
 * set (never an exception). Memory stays bounded by the streams' buffers and zlib's window.
 */
class Gunzipper {
  readonly #z: Gunzip;
  readonly #src: Readable;
  readonly #it: AsyncIterator<Buffer>;
  #ended = false;
  damage: string | undefined;

  constructor(raw: FileHandle) {
    this.#src = Readable.from(rawChunks(raw), { objectMode: false });
    this.#z = createGunzip();
    pipeline(this.#src, this.#z, () => {});
    this.#it = this.#z[Symbol.asyncIterator]();
  }

  async next(): Promise<Buffer | null> {
    if (this.#ended) return null;
    try {
      const r = await this.#it.next();
      if (!r.done) return r.value;
    } catch (e) {
      this.damage = (e as Error).message;
    }
    this.#ended = true;
    return null;
  }

  close(): void {
    this.#ended = true;
    this.#z.destroy();
    this.#src.destroy();
  }
}

async function* rawChunks(raw: FileHandle): AsyncGenerator<Buffer> {
  let position = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(RAW_CHUNK);
    const { bytesRead } = await raw.read(buf, 0, RAW_CHUNK, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

/** One pass over a `.gz` file: its decompressed size and start (cached per file version). */
export async function gzipInfo(raw: FileHandle, stats: BigIntStats): Promise<GzipInfo> {
  const key = keyOf(stats);
  const known = cache.get(key);
  if (known) return known;
  const g = new Gunzipper(raw);
  let size = 0;
  const head: Buffer[] = [];
  let headBytes = 0;
  try {
    for (let c = await g.next(); c; c = await g.next()) {
      if (headBytes < FINGERPRINT_BYTES) {
        const part = c.subarray(0, FINGERPRINT_BYTES - headBytes);
        head.push(Buffer.from(part));
        headBytes += part.length;
      }
      size += c.length;
    }
  } finally {
    g.close();
  }
  const info: GzipInfo = { size, head: Buffer.concat(head) };
  if (g.damage !== undefined) info.damage = g.damage;
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, info);
  return info;
}

/**
 * A `.gz` generation read like a plain file: positioned reads of its decompressed content
 * (what `FileHandle.read` offers), served from a window of recent decompressed bytes; a read
 * before the window starts decompressing again from the start. Its `stat` reports the
 * decompressed size. Where the file is damaged its content simply ends (`damaged` is set):
 * the caller reports it and drops a last partial line. Never read through `fd` (it is the
 * compressed file's).
 */
export class GzipHandle {
  readonly compressed = true;
  readonly #raw: FileHandle;
  readonly info: GzipInfo;
  #g: Gunzipper | undefined;
  #window = Buffer.alloc(0);
  #winStart = 0;
  #winLen = 0;
  /** Decompressed bytes produced so far by the current pass. */
  #produced = 0;

  constructor(raw: FileHandle, info: GzipInfo) {
    this.#raw = raw;
    this.info = info;
  }

  get fd(): number {
    return this.#raw.fd;
  }

  /** The content ended at damage (corrupt or truncated), not at the gzip trailer. */
  get damaged(): boolean {
    return this.info.damage !== undefined;
  }

  async read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number; buffer: Buffer }> {
    if (length <= 0) return { bytesRead: 0, buffer };
    if (!this.#g || position < this.#winStart) this.#restart();
    const want = position + length;
    const capacity = Math.max(MIN_WINDOW, 2 * length + 2 * RAW_CHUNK);
    if (this.#window.length < capacity) {
      const bigger = Buffer.allocUnsafe(capacity);
      this.#window.copy(bigger, 0, 0, this.#winLen);
      this.#window = bigger;
    }
    while (this.#produced < want) {
      const c = await (this.#g as Gunzipper).next();
      if (!c) break;
      this.#append(c);
    }
    const from = position - this.#winStart;
    const n = Math.max(0, Math.min(length, this.#winLen - from));
    if (n > 0) this.#window.copy(buffer, offset, from, from + n);
    return { bytesRead: n, buffer };
  }

  /** Adds decompressed bytes, dropping the oldest when the window is full. */
  #append(c: Buffer): void {
    const cap = this.#window.length;
    if (c.length >= cap) {
      c.copy(this.#window, 0, c.length - cap);
      this.#winStart = this.#produced + c.length - cap;
      this.#winLen = cap;
    } else {
      // Half the window at a time (each byte is moved about once); the newer half still
      // holds the read under way (the window is at least twice a read).
      const need = this.#winLen + c.length - cap;
      const drop = need > 0 ? Math.min(this.#winLen, Math.max(need, this.#winLen >> 1)) : 0;
      if (drop > 0) {
        this.#window.copy(this.#window, 0, drop, this.#winLen);
        this.#winStart += drop;
        this.#winLen -= drop;
      }
      c.copy(this.#window, this.#winLen);
      this.#winLen += c.length;
    }
    this.#produced += c.length;
  }

  #restart(): void {
    this.#g?.close();
    this.#g = new Gunzipper(this.#raw);
    this.#winStart = 0;
    this.#winLen = 0;
    this.#produced = 0;
  }

  /** The compressed file's stats, with the decompressed size. */
  async stat(_options?: { bigint: true }): Promise<BigIntStats> {
    const st = await this.#raw.stat({ bigint: true });
    const out = Object.create(Object.getPrototypeOf(st)) as BigIntStats;
    Object.assign(out, st, { size: BigInt(this.info.size) });
    return out;
  }

  async close(): Promise<void> {
    this.#g?.close();
    this.#g = undefined;
    await this.#raw.close();
  }
}

/** Whether a handle is a `.gz` generation's. */
export function isCompressed(fh: unknown): fh is GzipHandle {
  // A field, not `instanceof`: asked for every append, and a plain FileHandle has no such field.
  return (fh as { compressed?: unknown } | undefined)?.compressed === true;
}

/** Opens a `.gz` file (already opened raw) as a handle of its decompressed content. */
export async function openGzip(raw: FileHandle, stats: BigIntStats): Promise<GzipHandle> {
  return new GzipHandle(raw, await gzipInfo(raw, stats));
}
