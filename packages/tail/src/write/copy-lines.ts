import { readSync } from 'node:fs';
import { TAIL_BYTES } from '../read/identity.js';
import { type InPlaceCounter, simdInPlace } from '../read/newline-simd.js';
import { countNewlines, linesWithin } from '../read/newlines.js';
import type { CopyResult } from './writer-protocol.js';

const NEWLINE = 10;

/** Bytes read per system call by `copyLines`: small enough to stay in a core's cache. */
export const COPY_BUFFER_BYTES = 256 * 1024;

/**
 * The buffer copies read through (kept and reused, so that it stays in the cache): inside
 * the SIMD counter's memory where WebAssembly SIMD is available, so lines are counted where
 * they were read; else a plain buffer counted four bytes at a time.
 */
export function createCopyBuffer(size = COPY_BUFFER_BYTES): InPlaceCounter {
  const simd = simdInPlace(size);
  if (simd) return simd;
  const buffer = Buffer.allocUnsafeSlow(size);
  return { buffer, count: (end) => countNewlines(buffer, 0, end) };
}

/**
 * Copies whole lines of the open file `fd`, from `position` (the start of a line), through
 * `buf` into `write`, with no per-line work: each read is cut at its last newline, lines are
 * counted in bulk and the next read starts right after that newline (the file is read again
 * there, so nothing is carried over). Stops after about `maxBytes`, at the end of the file,
 * at a read holding no newline (a last partial line, or a line longer than `buf`), or at the
 * start of a line longer than `maxLineBytes`: whatever remains is for the caller's
 * line-by-line path, which holds partial lines and splits or skips long ones.
 *
 * `write(buf, n)` must write `buf[0, n)` fully or throw; its errors propagate. A read error
 * ends the copy with `readFailed` (the caller reads again itself and reports it with the path).
 * `count(n)` counts the newlines of `buf[0, n)` (by default `countNewlines`; the writer thread
 * passes a counter that works on `buf` where it lies).
 *
 * `expectTail` are the bytes the file must hold just before `position` (what was read there
 * last), checked after every read: when they differ, the file was truncated or rewritten under
 * us (copytruncate) and nothing more is copied (`mismatch` when nothing was), so that no
 * fragment of a line is ever written. The result's `tail` holds the bytes just before where
 * the copy stopped.
 */
export function copyLines(
  fd: number,
  position: number,
  maxBytes: number,
  maxLineBytes: number,
  buf: Buffer,
  write: (buf: Buffer, n: number) => void,
  count: (n: number) => number = (n) => countNewlines(buf, 0, n),
  expectTail: Uint8Array = new Uint8Array(0),
): CopyResult {
  let at = position;
  let bytes = 0;
  let lines = 0;
  let tail = expectTail;
  let atEnd = false;
  const result = (readFailed: boolean, mismatch = false): CopyResult => ({
    bytes,
    lines,
    readFailed,
    mismatch,
    tail,
    atEnd,
  });
  const check = Buffer.allocUnsafe(TAIL_BYTES);
  while (bytes < maxBytes) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, at);
    } catch {
      return result(true);
    }
    // After the read, the bytes before it are still those read there: the file was not
    // truncated (and refilled) before or during the read, so it holds no fragment.
    if (tail.length > 0) {
      let k: number;
      try {
        k = readSync(fd, check, 0, tail.length, at - tail.length);
      } catch {
        return result(true);
      }
      if (k < tail.length || check.compare(tail, 0, tail.length, 0, k) !== 0) {
        // Lines copied before stay counted; the next look at the file finds the truncation.
        return result(false, bytes === 0);
      }
    }
    if (n === 0) {
      atEnd = true;
      break;
    }
    const last = buf.lastIndexOf(NEWLINE, n - 1);
    if (last < 0) break;
    const whole = last + 1;
    const end = linesWithin(buf, 0, whole, maxLineBytes)
      ? whole
      : startOfLongLine(buf, whole, maxLineBytes);
    if (end > 0) {
      lines += count(end);
      write(buf, end);
      at += end;
      bytes += end;
      tail =
        end >= TAIL_BYTES
          ? Buffer.from(buf.subarray(end - TAIL_BYTES, end))
          : Buffer.concat([tail, buf.subarray(0, end)]).subarray(-TAIL_BYTES);
    }
    if (end < whole || n < buf.length) {
      // A short read that ended with a copied newline reached the end: no need to ask again.
      atEnd = end === n && n < buf.length;
      break; // a line too long, or the end of the file for now
    }
  }
  return result(false);
}

/** Where the first line of `buf[0, end)` longer than `max` bytes starts, else `end`. */
function startOfLongLine(buf: Buffer, end: number, max: number): number {
  let pos = 0;
  while (pos < end) {
    const nl = buf.indexOf(NEWLINE, pos);
    if (nl - pos > max) return pos;
    pos = nl + 1;
  }
  return end;
}
