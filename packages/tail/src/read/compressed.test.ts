import { readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { appendFile, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom, tempDir } from '@fanout/test-kit';
import { mergeFiles } from '../merge/merge-files.js';
import type { TailEvent } from '../types.js';
import { openGzip } from './gzip-handle.js';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail-gz'));
});
afterEach(() => cleanup());

const lines = (from: number, to: number) =>
  Array.from(
    { length: to - from },
    (_, k) => `line ${String(from + k).padStart(5, '0')} ${'z'.repeat((from + k) % 50)}\n`,
  ).join('');

/** As gzip does it: `NAME.gz` with the file's time kept, then `NAME` removed. */
function compress(path: string): void {
  const { atime, mtime } = statSync(path);
  writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)));
  utimesSync(`${path}.gz`, atime, mtime);
  unlinkSync(path);
}

/** A merge of `a.log` into `out.log` with a checkpoint; its events. */
async function merge(compressed: 'read' | 'skip' | undefined): Promise<TailEvent[]> {
  const events: TailEvent[] = [];
  await mergeFiles([join(dir, 'a.log')], join(dir, 'out.log'), {
    checkpoint: join(dir, 'out.ckpt'),
    ...(compressed ? { compressed } : {}),
    onEvent: (e) => events.push(e),
  });
  return events;
}

describe('compressed generations (compressed: read)', () => {
  it('reads positioned ranges of the decompressed content, forwards, backwards and far', async () => {
    const text = lines(0, 40_000); // ~1.7 MB decompressed: more than the window
    const gz = join(dir, 'x.gz');
    writeFileSync(gz, gzipSync(text));
    const raw = await open(gz, 'r');
    const h = await openGzip(raw, await raw.stat({ bigint: true }));
    try {
      expect(h.info.size).toBe(Buffer.byteLength(text));
      expect(h.damaged).toBe(false);
      const want = Buffer.from(text);
      const rnd = seededRandom(7);
      let at = 0;
      for (let i = 0; i < 60; i++) {
        // Mostly onwards with a step back (as the follower re-reads the bytes before its
        // offset), sometimes far back (a restart of the decompression) or past the end.
        const r = rnd();
        at =
          r < 0.7
            ? Math.max(0, at + Math.floor(rnd() * 200_000) - 256)
            : Math.floor(rnd() * want.length * 1.1);
        const len = 1 + Math.floor(rnd() * 300_000);
        const buf = Buffer.alloc(len);
        const { bytesRead } = await h.read(buf, 0, len, at);
        const expected = want.subarray(Math.min(at, want.length), Math.min(at + len, want.length));
        expect(bytesRead).toBe(expected.length);
        expect(buf.subarray(0, bytesRead).equals(expected)).toBe(true);
      }
    } finally {
      await h.close();
    }
  });

  it('reads on from our offset in a generation that was compressed while the merger was down', async () => {
    const a = join(dir, 'a.log');
    await writeFile(a, lines(0, 100));
    await merge('read');
    await appendFile(a, lines(100, 150)); // not read yet when the merger goes down
    await rename(a, `${a}.1`);
    compress(`${a}.1`); // logrotate's compress: a.log.1 is gone, a.log.1.gz holds it
    await writeFile(a, lines(150, 160));
    const events = await merge('read');
    expect(await readFile(join(dir, 'out.log'), 'utf8')).toBe(lines(0, 160));
    expect(events.filter((e) => e.type === 'vanished' || e.type === 'corrupt')).toEqual([]);
  });

  it('by default (skip) the same rotation loses those lines, and says so', async () => {
    const a = join(dir, 'a.log');
    await writeFile(a, lines(0, 100));
    await merge(undefined);
    await appendFile(a, lines(100, 150));
    await rename(a, `${a}.1`);
    compress(`${a}.1`);
    await writeFile(a, lines(150, 160));
    const events = await merge(undefined);
    expect(await readFile(join(dir, 'out.log'), 'utf8')).toBe(lines(0, 100) + lines(150, 160));
    expect(events.find((e) => e.type === 'vanished')).toMatchObject({ path: `${a}` });
  });

  it('reads generations compressed before any of their lines were read whole, oldest first', async () => {
    const a = join(dir, 'a.log');
    await writeFile(a, lines(0, 10));
    await merge('read');
    // Three rotations while down, numbered shift with compress (and the time of each kept).
    let next = 10;
    for (let r = 0; r < 3; r++) {
      await appendFile(a, lines(next, next + 20));
      next += 20;
      for (let k = r; k >= 1; k--) await rename(`${a}.${k}.gz`, `${a}.${k + 1}.gz`);
      await rename(a, `${a}.1`);
      compress(`${a}.1`);
    }
    await writeFile(a, lines(next, next + 5));
    const events = await merge('read');
    expect(await readFile(join(dir, 'out.log'), 'utf8')).toBe(lines(0, next + 5));
    expect(events.filter((e) => e.type === 'vanished' || e.type === 'corrupt')).toEqual([]);
  });

  it('delaycompress: the plain .1 is read, its later .2.gz is not read again', async () => {
    const a = join(dir, 'a.log');
    await writeFile(a, lines(0, 30));
    await merge('read');
    await appendFile(a, lines(30, 40));
    await rename(a, `${a}.1`);
    await writeFile(a, lines(40, 50));
    await merge('read'); // reads the rest of a.log.1, then a.log
    await appendFile(a, lines(50, 60));
    await rename(`${a}.1`, `${a}.2`);
    compress(`${a}.2`); // a.log.2.gz: everything in it was read
    await rename(a, `${a}.1`);
    await writeFile(a, lines(60, 70));
    await merge('read');
    expect(await readFile(join(dir, 'out.log'), 'utf8')).toBe(lines(0, 70));
  });

  it('reports a truncated or garbage .gz with its path, writes no fragment, and goes on', async () => {
    const a = join(dir, 'a.log');
    await writeFile(a, lines(0, 10));
    await merge('read');
    await appendFile(a, lines(10, 2000));
    await rename(a, `${a}.1`);
    compress(`${a}.1`);
    const gz = readFileSync(`${a}.1.gz`);
    writeFileSync(`${a}.1.gz`, gz.subarray(0, Math.floor(gz.length / 2))); // cut in half
    await writeFile(a, lines(2000, 2010));
    writeFileSync(`${a}.7.gz`, 'this is not gzip\n');
    const events = await merge('read');
    const corrupt = events.filter((e) => e.type === 'corrupt');
    expect(corrupt.map((e) => (e as { path: string }).path).sort()).toEqual([
      `${a}.1.gz`,
      `${a}.7.gz`,
    ]);
    const out = (await readFile(join(dir, 'out.log'), 'utf8')).split('\n');
    expect(out.pop()).toBe('');
    // Every line whole and in order: the first lines, what the damaged file still gave, then a.log.
    const all = lines(0, 2010).split('\n');
    let previous = -1;
    for (const line of out) {
      const seq = all.indexOf(line);
      expect(seq, `a whole line: ${line}`).toBeGreaterThan(previous);
      previous = seq;
    }
    expect(out.slice(0, 10).join('\n')).toBe(lines(0, 10).trimEnd());
    expect(out.slice(-10).join('\n')).toBe(lines(2000, 2010).trimEnd());
    expect(out.length).toBeGreaterThan(20); // some of the damaged file was readable
  });
});
