import { describe, expect, it } from 'vitest';
import { seededRandom } from '@fanout/test-kit';
import { type LinePart, LineSplitter } from './splitter.js';

function linesOf(parts: LinePart[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    const text = p.data.toString();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines.length).toBe(p.lines);
    out.push(...lines);
  }
  return out;
}

function feed(s: LineSplitter, data: Buffer, cuts: number[]): LinePart[] {
  const parts: LinePart[] = [];
  let at = 0;
  for (const cut of [...cuts, data.length]) {
    parts.push(...s.push(data.subarray(at, cut), at));
    at = cut;
  }
  return parts;
}

describe('LineSplitter', () => {
  it('yields whole lines and holds an unterminated tail until flushed', () => {
    const events: unknown[] = [];
    const s = new LineSplitter(100, 'split', (...e) => events.push(e));
    expect(linesOf(s.push(Buffer.from('ab\ncd\nef'), 0))).toEqual(['ab', 'cd']);
    expect(s.committed).toBe(6);
    expect(s.pendingBytes).toBe(2);
    expect(linesOf(s.push(Buffer.from('g\n'), 8))).toEqual(['efg']);
    expect(s.committed).toBe(10);
    expect(s.push(Buffer.from('tail'), 10)).toEqual([]);
    const last = s.flush();
    expect(last?.addedNewline).toBe(true);
    expect(last?.offset).toBe(10);
    expect(last?.data.toString()).toBe('tail\n');
    expect(s.committed).toBe(14);
    expect(events).toEqual([]);
  });

  it('gives every line exactly once whatever the chunk boundaries (random cuts)', () => {
    const rnd = seededRandom(7);
    for (let round = 0; round < 50; round++) {
      const lines = Array.from({ length: 1 + Math.floor(rnd() * 40) }, (_, i) =>
        'x'.repeat(Math.floor(rnd() * 12)).concat(String(i)),
      );
      const data = Buffer.from(`${lines.join('\n')}\n`);
      const cuts = Array.from({ length: Math.floor(rnd() * 10) }, () =>
        Math.floor(rnd() * data.length),
      ).sort((a, b) => a - b);
      const s = new LineSplitter(1000, 'split', () => {});
      expect(linesOf(feed(s, data, cuts))).toEqual(lines);
      expect(s.committed).toBe(data.length);
      expect(s.flush()).toBeNull();
    }
  });

  it('splits lines longer than maxLineBytes into pieces, reporting once, memory bounded', () => {
    const events: unknown[] = [];
    const s = new LineSplitter(4, 'split', (...e) => events.push(e));
    const data = Buffer.from('ok\n0123456789\nabcd\n');
    const parts = feed(s, data, [5, 7, 9]);
    expect(linesOf(parts)).toEqual(['ok', '0123', '4567', '89', 'abcd']);
    expect(parts.filter((p) => p.addedNewline).map((p) => p.offset)).toEqual([3, 7]);
    expect(events).toEqual([[3, 6, 'split']]); // bytes seen when the limit was passed
    expect(s.committed).toBe(data.length);
  });

  it('skips lines longer than maxLineBytes, within one chunk or across many', () => {
    const events: unknown[] = [];
    const s = new LineSplitter(4, 'skip', (...e) => events.push(e));
    const data = Buffer.from('ok\n0123456789\nabcd\nlong-again-without-newline');
    const parts = feed(s, data, [6, 8, 12]);
    expect(linesOf(parts)).toEqual(['ok', 'abcd']);
    expect(events.map((e) => (e as unknown[])[0])).toEqual([3, 19]);
    expect(s.pendingBytes).toBe(0);
    expect(s.flush()).toBeNull();
    expect(s.committed).toBe(data.length);
  });

  it('keeps a line of exactly maxLineBytes whole', () => {
    const events: unknown[] = [];
    const s = new LineSplitter(4, 'split', (...e) => events.push(e));
    expect(linesOf(feed(s, Buffer.from('abcd\nefgh\n'), [2, 7]))).toEqual(['abcd', 'efgh']);
    expect(events).toEqual([]);
  });

  it('gives the same lines, offsets and reports in one chunk as fed byte by byte', () => {
    const rnd = seededRandom(13);
    for (let round = 0; round < 200; round++) {
      const max = 1 + Math.floor(rnd() * 12);
      const policy = rnd() < 0.5 ? 'split' : 'skip';
      const lines = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () =>
        'z'.repeat(Math.floor(rnd() * (max * 2.2))),
      );
      const data = Buffer.from(`${lines.join('\n')}${rnd() < 0.5 ? '\n' : ''}`);
      const run = (cuts: number[], donate: boolean) => {
        const events: unknown[] = [];
        // `bytes` of a report is what was seen when the limit was passed: it depends on the cuts.
        const s = new LineSplitter(max, policy, (offset, _bytes, action) =>
          events.push([offset, action]),
        );
        const parts: LinePart[] = [];
        let at = 0;
        for (const cut of [...cuts, data.length]) {
          const chunk = Buffer.allocUnsafeSlow(cut - at); // its own memory, as a read buffer has
          data.copy(chunk, 0, at, cut);
          parts.push(...s.push(chunk, at, donate));
          at = cut;
        }
        const committed = s.committed;
        const last = s.flush();
        if (last) parts.push(last);
        // Per line: file offset and whether the newline was added (parts may group lines).
        const offsets: [number, boolean][] = [];
        for (const p of parts) {
          let at = 0;
          while (at < p.data.length) {
            offsets.push([p.offset + at, p.addedNewline]);
            at = p.data.indexOf(10, at) + 1;
          }
        }
        return { lines: linesOf(parts), offsets, events, committed, end: s.committed };
      };
      const byteByByte = run(
        Array.from({ length: data.length }, (_, i) => i),
        false,
      );
      expect(run([], true)).toEqual(byteByByte);
      expect(run([], false)).toEqual(byteByByte);
    }
  });

  it('with a donated chunk, whole runs are views of it (no copy)', () => {
    const s = new LineSplitter(100, 'split', () => {});
    const chunk = Buffer.allocUnsafeSlow(13); // its own memory, as a read buffer has
    chunk.write('a\nbb\nccc\ntail');
    const parts = s.push(chunk, 0, true);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.data.buffer).toBe(chunk.buffer);
    expect(parts[0]?.lines).toBe(3);
    // The held tail is a copy: the donated chunk may be given away.
    chunk.fill(0);
    expect(s.flush()?.data.toString()).toBe('tail\n');
    // A small run in a big buffer (a small read while following) is copied instead.
    const big = Buffer.alloc(1024);
    big.write('x\ny\n');
    const small = s.push(big.subarray(0, 4), 100, true);
    expect(small[0]?.data.buffer).not.toBe(big.buffer);
    expect(small[0]?.data.toString()).toBe('x\ny\n');
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new LineSplitter(0, 'split', () => {})).toThrow(/maxLineBytes/);
  });
});
