import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { FileIdentity } from '../types.js';

/** How many leading bytes identify a file's content. */
export const FINGERPRINT_BYTES = 256;

/** Hash of the first `length` bytes of an open file (fewer if the file is shorter). */
async function fingerprintOf(fh: FileHandle, length: number): Promise<[string, number]> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  const digest = createHash('sha256').update(buf.subarray(0, got)).digest('hex').slice(0, 32);
  return [digest, got];
}

/** Identity of an open file: dev, inode and a fingerprint of up to 256 leading bytes. */
export async function identify(fh: FileHandle, stats: BigIntStats): Promise<FileIdentity> {
  const want = Number(stats.size < BigInt(FINGERPRINT_BYTES) ? stats.size : FINGERPRINT_BYTES);
  const [fingerprint, fingerprintBytes] = await fingerprintOf(fh, want);
  return { dev: stats.dev.toString(), ino: stats.ino.toString(), fingerprint, fingerprintBytes };
}

/** Same device and inode (the content may still differ if the inode was reused). */
export function sameInode(a: FileIdentity, stats: BigIntStats): boolean {
  return a.dev === stats.dev.toString() && a.ino === stats.ino.toString();
}

/** True when the open file starts with the bytes `identity` fingerprinted. */
export async function contentMatches(fh: FileHandle, identity: FileIdentity): Promise<boolean> {
  const [fingerprint, got] = await fingerprintOf(fh, identity.fingerprintBytes);
  return got === identity.fingerprintBytes && fingerprint === identity.fingerprint;
}
