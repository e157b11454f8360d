import { describe, expect, it } from 'vitest';
import { seededRandom } from '@fanout/test-kit';
import { SIMD_WINDOW, simdCounter, simdInPlace } from './newline-simd.js';
import { countNewlines, countNewlinesSwar, linesWithin } from './newlines.js';

function naiveCount(b: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (b[i] === 10) n++;
  return n;
}

function longestLine(b: Uint8Array, start: number, end: number): number {
  let longest = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    if (b[i] === 10) {
      longest = Math.max(longest, i - from);
      from = i + 1;
    }
  }
  return longest;
}

describe('countNewlines', () => {
  it('counts like a byte loop at any alignment, length and density', () => {
    const rnd = seededRandom(11);
    const backing = Buffer.alloc(9000);
    for (let round = 0; round < 300; round++) {
      const density = rnd();
      for (let i = 0; i < backing.length; i++) {
        // Bytes near 10 and with the high bit set stress the per-lane arithmetic.
        backing[i] = rnd() < density ? 10 : ([0, 9, 11, 0x8a, 0xff, 0x0a ^ 0x80][i % 6] ?? 32);
      }
      const view = backing.subarray(Math.floor(rnd() * 7));
      const start = Math.floor(rnd() * 50);
      const end = start + Math.floor(rnd() * (view.length - start));
      const expected = naiveCount(view, start, end);
      expect(countNewlinesSwar(view, start, end)).toBe(expected);
      expect(countNewlines(view, start, end)).toBe(expected);
    }
  });

  it('uses WebAssembly SIMD on this Node', () => {
    expect(simdCounter()).not.toBeNull();
  });

  it('does not overflow a lane on long runs of newlines, over several SIMD windows', () => {
    const all = Buffer.alloc(2.5 * 1024 * 1024 + 3, 10);
    expect(countNewlinesSwar(all, 1, all.length)).toBe(all.length - 1);
    expect(countNewlines(all, 1, all.length)).toBe(all.length - 1);
    expect(countNewlines(all, 0, 0)).toBe(0);
  });
});

describe('linesWithin', () => {
  it('is never true when a line is longer than the limit, and true for short lines', () => {
    const rnd = seededRandom(5);
    for (let round = 0; round < 500; round++) {
      const max = 1 + Math.floor(rnd() * 40);
      const lines = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () =>
        'y'.repeat(Math.floor(rnd() * (max * 1.5))),
      );
      const data = Buffer.from(`${lines.join('\n')}\n`);
      const ok = linesWithin(data, 0, data.length, max);
      if (ok) expect(longestLine(data, 0, data.length)).toBeLessThanOrEqual(max);
      if (longestLine(data, 0, data.length) < max / 2) expect(ok).toBe(true);
    }
  });
});

describe('simdInPlace', () => {
  it('counts the first bytes of its own buffer where they lie, like a byte loop', () => {
    const rnd = seededRandom(12);
    const counter = simdInPlace(4096);
    expect(counter).not.toBeNull();
    const { buffer, count } = counter as NonNullable<typeof counter>;
    expect(buffer.length).toBe(4096);
    for (let round = 0; round < 200; round++) {
      const density = rnd();
      for (let i = 0; i < buffer.length; i++) buffer[i] = rnd() < density ? 10 : 97;
      const end = Math.floor(rnd() * (buffer.length + 1));
      expect(count(end)).toBe(naiveCount(buffer, 0, end));
    }
  });

  it('refuses a buffer larger than its memory window', () => {
    expect(() => simdInPlace(SIMD_WINDOW + 1)).toThrow(RangeError);
  });
});
