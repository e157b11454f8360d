import type { BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { FileIdentity } from '../types.js';
import { sha256Hex } from './sha256.js';

/** How many leading bytes identify a file's content. */
export const FINGERPRINT_BYTES = 256;

/**
 * How many bytes before the read position are kept and compared before every read: a file
 * truncated and refilled past our offset (copytruncate) no longer has them there, so it is
 * seen as truncated instead of being read from the middle of a line.
 */
export const TAIL_BYTES = 256;

function digest(bytes: Uint8Array): string {
  return sha256Hex(bytes).slice(0, 32);
}

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
export async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** Identity of an open file: dev, inode and a fingerprint of up to 256 leading bytes. */
export async function identify(fh: FileHandle, stats: BigIntStats): Promise<FileIdentity> {
  const want = Number(stats.size < BigInt(FINGERPRINT_BYTES) ? stats.size : FINGERPRINT_BYTES);
  const head = await readAt(fh, 0, want);
  return identityOf(stats, head);
}

/** The identity of a file with these stats whose first bytes are `head`. */
export function identityOf(stats: BigIntStats, head: Uint8Array): FileIdentity {
  const bytes = head.subarray(0, FINGERPRINT_BYTES);
  const identity: FileIdentity = {
    dev: stats.dev.toString(),
    ino: stats.ino.toString(),
    fingerprint: digest(bytes),
    fingerprintBytes: bytes.length,
  };
  if (stats.birthtimeNs > 0n) identity.born = stats.birthtimeNs.toString();
  return identity;
}

/**
 * Same device and inode, and the same birth time where the filesystem records one: an inode
 * freed and reused by a new file is then told apart even before it has content to compare.
 */
export function sameInode(a: FileIdentity, stats: BigIntStats | FileIdentity): boolean {
  if ('fingerprint' in stats) {
    return (
      a.dev === stats.dev &&
      a.ino === stats.ino &&
      (a.born === undefined || stats.born === undefined || a.born === stats.born)
    );
  }
  return (
    a.dev === stats.dev.toString() &&
    a.ino === stats.ino.toString() &&
    (a.born === undefined || stats.birthtimeNs === 0n || a.born === stats.birthtimeNs.toString())
  );
}

/** `identity` with its fingerprint taken over `head` (the file's first bytes, as read). */
export function withHead(identity: FileIdentity, head: Uint8Array): FileIdentity {
  const bytes = head.subarray(0, FINGERPRINT_BYTES);
  return { ...identity, fingerprint: digest(bytes), fingerprintBytes: bytes.length };
}

/** True when `head` (a file's first bytes) starts with the bytes `identity` fingerprinted. */
export function headMatches(head: Uint8Array, identity: FileIdentity): boolean {
  const n = identity.fingerprintBytes;
  return head.length >= n && digest(head.subarray(0, n)) === identity.fingerprint;
}

/** True when the open file starts with the bytes `identity` fingerprinted. */
export async function contentMatches(fh: FileHandle, identity: FileIdentity): Promise<boolean> {
  return headMatches(await readAt(fh, 0, identity.fingerprintBytes), identity);
}

/** The digest kept in a checkpoint for the bytes before an offset. */
export function tailDigest(tail: Uint8Array): string {
  return digest(tail);
}
