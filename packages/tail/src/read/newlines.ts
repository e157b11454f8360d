import { SIMD_WINDOW, simdCounter } from './newline-simd.js';

const NEWLINE = 10;
const NL4 = 0x0a0a0a0a;
const LOW7 = 0x7f7f7f7f;
const ONES = 0x01010101;

/**
 * Number of newline bytes in `b[start, end)`: with WebAssembly SIMD where available (one
 * 1 MiB window at a time), else four bytes at a time in JavaScript.
 */
export function countNewlines(b: Uint8Array, start: number, end: number): number {
  const simd = simdCounter();
  if (!simd) return countNewlinesSwar(b, start, end);
  let n = 0;
  for (let at = start; at < end; at += SIMD_WINDOW) {
    n += simd(b.subarray(at, Math.min(end, at + SIMD_WINDOW)));
  }
  return n;
}

/**
 * Number of newline bytes in `b[start, end)`, without WebAssembly. Counting with one `indexOf` call per line
 * costs ~20 ns a line; this looks at four bytes at once (SWAR): for each byte lane,
 * `~(((x & 0x7f) + 0x7f) | x)` has its high bit set exactly when the byte of `x` is 0, and
 * `x` is the word XOR `\n\n\n\n`. Lane sums are gathered for 252 words (below 256, so a
 * lane never carries into the next) before being added up.
 */
export function countNewlinesSwar(b: Uint8Array, start: number, end: number): number {
  let n = 0;
  let i = start;
  while (i < end && ((b.byteOffset + i) & 3) !== 0) {
    if (b[i] === NEWLINE) n++;
    i++;
  }
  const words = (end - i) >> 2;
  if (words > 0) {
    const u = new Int32Array(b.buffer, b.byteOffset + i, words);
    let j = 0;
    while (j < words) {
      const stop = Math.min(words, j + 252);
      let acc = 0;
      for (; j + 3 < stop; j += 4) {
        const x0 = (u[j] as number) ^ NL4;
        const x1 = (u[j + 1] as number) ^ NL4;
        const x2 = (u[j + 2] as number) ^ NL4;
        const x3 = (u[j + 3] as number) ^ NL4;
        acc =
          (acc +
            ((~(((x0 & LOW7) + LOW7) | x0) >>> 7) & ONES) +
            ((~(((x1 & LOW7) + LOW7) | x1) >>> 7) & ONES) +
            ((~(((x2 & LOW7) + LOW7) | x2) >>> 7) & ONES) +
            ((~(((x3 & LOW7) + LOW7) | x3) >>> 7) & ONES)) |
          0;
      }
      for (; j < stop; j++) {
        const x = (u[j] as number) ^ NL4;
        acc = (acc + ((~(((x & LOW7) + LOW7) | x) >>> 7) & ONES)) | 0;
      }
      n += (acc & 0xff) + ((acc >>> 8) & 0xff) + ((acc >>> 16) & 0xff) + (acc >>> 24);
    }
    i += words * 4;
  }
  for (; i < end; i++) if (b[i] === NEWLINE) n++;
  return n;
}

/**
 * True when no line inside `b[start, end)` (which ends with a newline) is longer than `max`
 * bytes without its newline, checked with a few `indexOf` calls instead of one per line:
 * when every window of `w = floor((max + 1) / 2)` bytes holds a newline, consecutive newlines
 * are at most `2w - 1` bytes apart, so no line has more than `2w - 2 < max` bytes. False means
 * "maybe": the caller then looks at each line.
 */
export function linesWithin(b: Uint8Array, start: number, end: number, max: number): boolean {
  if (end - start - 1 <= max) return true;
  const w = Math.max(1, Math.floor((max + 1) / 2));
  for (let at = start; at < end; at += w) {
    const nl = b.indexOf(NEWLINE, at);
    if (nl < 0 || nl >= at + w) return false;
  }
  return true;
}
