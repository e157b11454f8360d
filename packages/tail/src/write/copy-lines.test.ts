import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '@fanout/test-kit';
import { copyLines } from './copy-lines.js';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
const fds: number[] = [];
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail'));
});
afterEach(async () => {
  for (const fd of fds.splice(0)) closeSync(fd);
  await cleanup();
});

/** An open file holding `text`. */
function input(text: string): number {
  const path = join(dir, `in${fds.length}.log`);
  writeFileSync(path, text);
  const fd = openSync(path, 'r');
  fds.push(fd);
  return fd;
}

/** Runs `copyLines` with a `bufBytes` buffer; returns its result and what it wrote, per write. */
function copy(fd: number, position: number, bufBytes: number, maxLineBytes = 1 << 20, max = 1e9) {
  const writes: string[] = [];
  const result = copyLines(fd, position, max, maxLineBytes, Buffer.alloc(bufBytes), (b, n) => {
    writes.push(b.toString('latin1', 0, n));
  });
  return { ...result, writes, text: writes.join('') };
}

describe('copyLines', () => {
  it('says it reached the end when a short read ended with a copied newline, not before a partial line', () => {
    expect(copy(input('a\nbb\n'), 0, 64)).toMatchObject({ bytes: 5, atEnd: true });
    // The partial line after the last newline is for the caller: not the end.
    expect(copy(input('a\nbb\ncc'), 0, 64)).toMatchObject({ bytes: 5, atEnd: false });
    // A full read may have more behind it.
    expect(copy(input('abc\ndefg\n'), 0, 9, 1 << 20, 9)).toMatchObject({ atEnd: false });
  });

  it('cuts each read at its last newline and reads on from there (a line spanning two reads)', () => {
    const text = 'aaaa\nbbbbbb\ncc\nddddddd\n';
    const got = copy(input(text), 0, 8);
    expect(got).toMatchObject({ bytes: text.length, lines: 4, readFailed: false, text });
    // Every write is whole lines: the partial line of one read starts the next.
    expect(got.writes).toEqual(['aaaa\n', 'bbbbbb\n', 'cc\n', 'ddddddd\n']);
  });

  it('writes a read that ends exactly at a newline whole, and goes on', () => {
    const text = 'abc\nabc\nabc\nabc\n';
    const got = copy(input(text), 0, 8);
    expect(got.writes).toEqual(['abc\nabc\n', 'abc\nabc\n']);
    expect(got).toMatchObject({ bytes: 16, lines: 4 });
  });

  it('leaves a last line without newline, and starts at a given line start', () => {
    const fd = input('one\ntwo\nthr');
    expect(copy(fd, 0, 64)).toMatchObject({ bytes: 8, lines: 2, text: 'one\ntwo\n' });
    expect(copy(fd, 4, 64)).toMatchObject({ bytes: 4, lines: 1, text: 'two\n' });
    expect(copy(fd, 8, 64)).toMatchObject({ bytes: 0, lines: 0, text: '' });
    expect(copy(fd, 11, 64)).toMatchObject({ bytes: 0, lines: 0, readFailed: false });
  });

  it('stops before a line longer than its buffer (left to the line-by-line path)', () => {
    const fd = input(`ab\ncd\n${'x'.repeat(20)}\nef\n`);
    expect(copy(fd, 0, 8)).toMatchObject({ bytes: 6, lines: 2, text: 'ab\ncd\n' });
    expect(copy(fd, 6, 8)).toMatchObject({ bytes: 0, lines: 0 });
  });

  it('stops at the start of a line over maxLineBytes, also one that began in an earlier read', () => {
    // maxLineBytes 5: "123456" (6 bytes) is too long; the lines before it are copied.
    const fd = input('a\nb\nc\nd\n123456\ne\n');
    expect(copy(fd, 0, 8, 5)).toMatchObject({ bytes: 8, lines: 4, text: 'a\nb\nc\nd\n' });
    expect(copy(fd, 8, 8, 5)).toMatchObject({ bytes: 0 });
    const inside = input('a\n123456\ne\n');
    expect(copy(inside, 0, 64, 5)).toMatchObject({ bytes: 2, lines: 1, text: 'a\n' });
    // A line of exactly maxLineBytes is fine, though it spans two reads.
    const ok = input('a\nb\nc\n12345\ne\n');
    expect(copy(ok, 0, 8, 5)).toMatchObject({ bytes: 14, lines: 5, text: 'a\nb\nc\n12345\ne\n' });
  });

  it('stops once maxBytes is reached, at a read boundary', () => {
    const text = 'abc\n'.repeat(10);
    const got = copy(input(text), 0, 8, 100, 10);
    expect(got).toMatchObject({ bytes: 16, lines: 4 });
  });

  it('reports a failed read instead of throwing, and passes write errors on', () => {
    const dirFd = openSync(dir, 'r');
    fds.push(dirFd);
    expect(copy(dirFd, 0, 8)).toMatchObject({ bytes: 0, readFailed: true });
    const fd = input('abc\n');
    const boom = new Error('ENOSPC');
    expect(() =>
      copyLines(fd, 0, 100, 100, Buffer.alloc(8), () => {
        throw boom;
      }),
    ).toThrow(boom);
  });
});
