import {
  appendFileSync,
  copyFileSync,
  readFileSync,
  renameSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '@fanout/test-kit';
import type { FollowState, TailEvent } from '../types.js';
import { FileFollower } from './follower.js';
import { generationOf } from './generations.js';
import { Registry } from './registry.js';
import { scan } from './scan.js';
import { DEFAULT_ROTATED, SiblingMatcher } from './siblings.js';

/**
 * The races of copytruncate and restarts, made deterministic: every change to the files
 * happens in one synchronous block, so the follower (in this process) cannot look between
 * its steps, and each block reproduces an interleaving the model test
 * (`test/rotation-kill-model.test.ts`) met at random. Modification times are set explicitly
 * (as a clock would have), so that the order does not depend on the clock's resolution.
 */

let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail-generations'));
});
afterEach(() => cleanup());

const lines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `line ${String(from + i).padStart(4, '0')} x`);
const text = (ls: string[]) => ls.map((l) => `${l}\n`).join('');
/** Sets a file's modification time to `t` seconds after a fixed moment. */
const stamp = (path: string, t: number) => utimesSync(path, 1_800_000_000 + t, 1_800_000_000 + t);

/** Follows `file` (from `from`), collecting lines as text, until stopped. */
function follow(file: string, options: { follow: boolean; from?: FollowState }) {
  const ac = new AbortController();
  const events: TailEvent[] = [];
  const got: string[] = [];
  const follower = new FileFollower(file, {
    ...options,
    intervalMs: 5,
    signal: ac.signal,
    onEvent: (e) => events.push(e),
  });
  const done = (async () => {
    for (;;) {
      const batch = await follower.next();
      if (!batch) return;
      for (const p of batch.parts) got.push(...p.data.toString().split('\n').slice(0, -1));
      batch.commit();
    }
  })();
  return { follower, got, events, done, stop: () => ac.abort() };
}

describe('generations through copytruncate', () => {
  it('a file found empty, then filled and copytruncated before its first read: the copy first', async () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, '');
    const f = follow(file, { follow: true });
    await f.follower.ready; // looked at: empty
    // Lines arrive, are copied away and the file truncated and refilled, all before the
    // follower reads its first byte.
    appendFileSync(file, text(lines(0, 5)));
    copyFileSync(file, `${file}.1`);
    stamp(`${file}.1`, 1);
    truncateSync(file, 0);
    appendFileSync(file, text(lines(5, 9)));
    await waitFor(() => f.got.length >= 9, 'all lines');
    f.stop();
    await f.done;
    expect(f.got).toEqual(lines(0, 9));
  });

  it('content that only a deleted file still holds goes between the copies made before and after it', async () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, text(lines(0, 3)));
    const f = follow(file, { follow: true });
    await waitFor(() => f.got.length === 3, 'the first lines');
    const shift = () => {
      for (const k of [2, 1]) {
        try {
          renameSync(`${file}.${k}`, `${file}.${k + 1}`);
        } catch {}
      }
    };
    const copytruncate = (t: number) => {
      shift();
      copyFileSync(file, `${file}.1`);
      stamp(`${file}.1`, t);
      truncateSync(file, 0);
    };
    appendFileSync(file, text(lines(3, 6)));
    copytruncate(1); // lines 0-5 -> .1 (-> .3)
    appendFileSync(file, text(lines(6, 9)));
    copytruncate(2); // lines 6-8 -> .1 (-> .2)
    appendFileSync(file, text(lines(9, 12)));
    stamp(file, 3);
    unlinkSync(file); // lines 9-11: only in the file the follower holds open
    writeFileSync(file, text(lines(12, 15)));
    copytruncate(4); // lines 12-14 -> .1
    appendFileSync(file, text(lines(15, 18)));
    await waitFor(() => f.got.length >= 18, 'all lines');
    f.stop();
    await f.done;
    expect(f.got).toEqual(lines(0, 18));
  });

  it('a copy made before the truncation and seen before it is read once, from the file it copies', async () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, text(lines(0, 3)));
    const a = follow(file, { follow: false });
    await a.done;
    expect(a.got).toEqual(lines(0, 3));
    appendFileSync(file, text(lines(3, 6)));
    copyFileSync(file, `${file}.1`); // copytruncate's copy, not truncated yet
    const b = follow(file, { follow: false, from: a.follower.state() });
    await b.done;
    expect(b.got).toEqual(lines(3, 6));
    truncateSync(file, 0);
    appendFileSync(file, text(lines(6, 8)));
    const c = follow(file, { follow: false, from: b.follower.state() });
    await c.done;
    expect(c.got).toEqual(lines(6, 8));
    expect(c.events).toMatchObject([{ type: 'truncated', copy: `${file}.1`, lostBytes: 0 }]);
  });

  it('after a restart, a copy shorter than the lines read is known as a copy of them (first bytes kept)', async () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, text(lines(0, 1)));
    const a = follow(file, { follow: false });
    await a.done;
    appendFileSync(file, text(lines(1, 3)));
    copyFileSync(file, `${file}.1`); // the copy: lines 0-2
    appendFileSync(file, text(lines(3, 5))); // written between the copy and the truncation
    const b = follow(file, { follow: false, from: a.follower.state() });
    await b.done;
    expect(b.got).toEqual(lines(1, 5));
    // Through JSON, as a checkpoint stores it.
    const saved = JSON.parse(JSON.stringify(b.follower.state())) as FollowState;
    truncateSync(file, 0);
    appendFileSync(file, text(lines(5, 7)));
    const c = follow(file, { follow: false, from: saved });
    await c.done;
    expect(c.got).toEqual(lines(5, 7));
  });
});

describe('generations rotated within one clock tick while down', () => {
  it('.N increasing: the generation known before the restart is read before those found after it', async () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, text(lines(0, 2)));
    const a = follow(file, { follow: false });
    await a.done;
    const saved = JSON.parse(JSON.stringify(a.follower.state())) as FollowState;
    // Down: the known file gets more lines and goes to .1, a new one to .2, a third is at
    // the path; .1 and .2 have the same time (what a coarse clock gives), and names that
    // run .1, .2 read like numbered shifting, where .2 would be the older.
    appendFileSync(file, text(lines(2, 4)));
    renameSync(file, `${file}.1`);
    writeFileSync(file, text(lines(4, 6)));
    renameSync(file, `${file}.2`);
    writeFileSync(file, text(lines(6, 8)));
    stamp(`${file}.1`, 10);
    stamp(`${file}.2`, 10);
    stamp(file, 10);
    const b = follow(file, { follow: false, from: saved });
    await b.done;
    expect(b.got).toEqual(lines(2, 8));
  });
});

describe('a resumed generation truncated between a look and its first read', () => {
  it('keeps the bytes before its offset as the look checked them, not as the file holds them later', async () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, text(lines(0, 200)));
    const a = follow(file, { follow: false });
    await a.done;
    appendFileSync(file, text(lines(200, 202)));
    // Through JSON, as a checkpoint stores it: only a digest of the bytes before the offset.
    const saved = JSON.parse(JSON.stringify(a.follower.state())) as FollowState;
    const [position] = saved.generations;
    if (!position) throw new Error('no generation in the state');
    const registry = new Registry(file, file, [generationOf(position, file)], () => {});
    const target = {
      dir,
      path: file,
      label: file,
      siblings: new SiblingMatcher('a.log', DEFAULT_ROTATED),
    };
    const cands = await scan(target, []);
    const next = await registry.update(cands, { history: false, fromEnd: false });
    if (next === 'again') throw new Error('nothing changed under this look');
    // copytruncate right after the look, and the file refilled past the old offset.
    const before = readFileSync(file).subarray(
      position.offset - (position.tailBytes ?? 0),
      position.offset,
    );
    truncateSync(file, 0);
    appendFileSync(file, text(lines(1000, 1400)));
    try {
      expect(next?.gen.offset).toBe(position.offset);
      expect(Buffer.isBuffer(next?.gen.tail)).toBe(true);
      expect(next?.gen.tail).toEqual(before);
      expect(
        readFileSync(file).subarray(position.offset - (position.tailBytes ?? 0), position.offset),
      ).not.toEqual(before);
    } finally {
      for (const c of cands) await c.fh.close();
    }
  });
});

describe('a generation truncated between a look and the registry update', () => {
  it('the look is made again (the copy made after the listing is found) instead of taking the lines for lost', async () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, text(lines(0, 200)));
    const a = follow(file, { follow: false });
    await a.done;
    appendFileSync(file, text(lines(200, 210)));
    const saved = JSON.parse(JSON.stringify(a.follower.state())) as FollowState;
    const [position] = saved.generations;
    if (!position) throw new Error('no generation in the state');
    const events: TailEvent[] = [];
    const registry = new Registry(file, file, [generationOf(position, file)], (e) =>
      events.push(e),
    );
    const target = {
      dir,
      path: file,
      label: file,
      siblings: new SiblingMatcher('a.log', DEFAULT_ROTATED),
    };
    const first = await scan(target, []);
    // copytruncate after the listing: the look knows neither the copy nor the truncation.
    copyFileSync(file, `${file}.1`);
    truncateSync(file, 0);
    appendFileSync(file, text(lines(1000, 1400)));
    const second = await scan(target, []);
    try {
      expect(await registry.update(first, { history: false, fromEnd: false })).toBe('again');
      const next = await registry.update(second, { history: false, fromEnd: false });
      if (next === 'again') throw new Error('nothing changed under the second look');
      expect(next?.view.path).toBe(`${file}.1`);
      expect(next?.gen.offset).toBe(position.offset);
      expect(events).toEqual([]);
    } finally {
      for (const c of [...first, ...second]) await c.fh.close();
    }
  });
});
