import type { FileHandle } from 'node:fs/promises';
import type { FileIdentity, FollowState, GenerationPosition } from '../types.js';
import { FINGERPRINT_BYTES, headMatches, TAIL_BYTES, tailDigest } from './identity.js';

/** One content stream that is or was at an input's path, as the follower knows it. */
export interface Generation {
  identity: FileIdentity;
  /**
   * Its first bytes as seen (`identity.fingerprintBytes` of them, the fingerprint's input),
   * kept so that a copy shorter than them is still recognised.
   */
  head?: Buffer;
  /** Offset after the last line handed on (committed). */
  offset: number;
  /** The bytes just before `offset` (up to TAIL_BYTES), or only their digest after a restart. */
  tail: Buffer | { digest: string; bytes: number };
  /** Largest size seen (what a loss report counts from). */
  size: number;
  /** Where it was last seen. */
  path: string;
  /** Read to its end (or there before the follower started): never read again. */
  done: boolean;
  /** Held open once found, so that deleting it does not lose what is unread. */
  fh?: FileHandle;
  /** Read at the input's path at some point: its leaving is reported (`rotated` / `deleted`). */
  wasLive?: boolean;
  /**
   * Its lines are read from a copytruncate copy of the file it was in (that file's path and
   * size as last seen, `offset` where the truncation was found): a last line without
   * newline is a fragment, and the loss is reported once the copy is read.
   */
  copyOf?: { path: string; size: number; offset: number };
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

/**
 * Whether two files start with the same content: the shorter of their first bytes is a
 * prefix of the other, and holds a whole line (or the whole fingerprint), so that a line
 * being written or a common date prefix is not taken for the same content.
 */
export function sameStart(a: Buffer, b: Buffer): boolean {
  const n = Math.min(a.length, b.length, FINGERPRINT_BYTES);
  if (n === 0 || a.compare(b, 0, n, 0, n) !== 0) return false;
  return n === FINGERPRINT_BYTES || a.subarray(0, n).includes(10);
}

/** A file starting with `head` holds `gen`'s content (the same file, or a copy of it). */
export function holdsContentOf(head: Buffer, gen: Generation): boolean {
  if (gen.head && gen.head.length > 0) return sameStart(head, gen.head);
  return gen.identity.fingerprintBytes > 0 && headMatches(head, gen.identity);
}

/** A generation as checkpoints store it. */
export function positionOf(gen: Generation): GenerationPosition {
  const t = gen.tail;
  const tail = Buffer.isBuffer(t) ? { digest: tailDigest(t), bytes: t.length } : t;
  const p: GenerationPosition = {
    identity: gen.identity,
    offset: gen.offset,
    tail: tail.digest,
    tailBytes: tail.bytes,
    size: gen.size,
    path: gen.path,
  };
  if (gen.head && gen.head.length > 0) p.head = gen.head.toString('base64');
  return p;
}

/** A stored position back as a generation (not yet found on disk). */
export function generationOf(p: GenerationPosition, fallbackPath: string): Generation {
  const gen: Generation = {
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
  if (p.head !== undefined) gen.head = Buffer.from(p.head, 'base64');
  return gen;
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
