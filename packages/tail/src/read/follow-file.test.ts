import { closeSync, openSync, watch, writeSync } from 'node:fs';
import { appendFile, link, mkdir, rename, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, tempDir, waitFor } from '@fanout/test-kit';
import { InputError } from '../errors.js';
import { followFile } from './follow-file.js';
import type { FollowedLine, FollowOptions, TailEvent } from '../types.js';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail'));
});
afterEach(() => cleanup());

const text = (l: FollowedLine) => l.line.toString();

/** The first line of a file; the iterator is then closed (releasing the file). */
async function firstLine(file: string): Promise<FollowedLine> {
  const it = followFile(file);
  const first = await it.next();
  await it.return();
  return first.value as FollowedLine;
}

describe('followFile without follow', () => {
  it('yields whole lines with offsets and flushes a last unterminated line', async () => {
    const file = join(dir, 'a.log');
    await writeFile(file, 'one\ntwo\nthree');
    const got: FollowedLine[] = [];
    for await (const l of followFile(file)) got.push(l);
    expect(got.map((l) => [text(l), l.offset, l.nextOffset, l.terminated])).toEqual([
      ['one', 0, 4, true],
      ['two', 4, 8, true],
      ['three', 8, 13, false],
    ]);
    expect(got[0]?.identity.fingerprintBytes).toBe(13);
  });

  it('reads files bigger than one chunk, with lines across chunk boundaries', async () => {
    const file = join(dir, 'big.log');
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'z'.repeat(i % 17)}`);
    await writeFile(file, `${lines.join('\n')}\n`);
    const got: string[] = [];
    for await (const l of followFile(file, { chunkBytes: 1000 })) got.push(text(l));
    expect(got).toEqual(lines);
  });

  it('reads a file of many reads, lines across every boundary', async () => {
    const file = join(dir, 'grow.log');
    const lines = Array.from({ length: 40_000 }, (_, i) => `row ${i} ${'q'.repeat(i % 23)}`);
    await writeFile(file, `${lines.join('\n')}\n`); // ~850 KB: lines across the read boundaries
    const got: string[] = [];
    for await (const l of followFile(file)) got.push(text(l));
    expect(got).toEqual(lines);
  });

  it('starts at the end, or resumes at a recorded offset of the same file', async () => {
    const file = join(dir, 'a.log');
    await writeFile(file, 'one\ntwo\n');
    const fromEnd: string[] = [];
    for await (const l of followFile(file, { from: 'end' })) fromEnd.push(text(l));
    expect(fromEnd).toEqual([]);
    const at = await firstLine(file);
    await appendFile(file, 'three\n');
    const resumed: string[] = [];
    for await (const l of followFile(file, {
      from: { offset: at.nextOffset, identity: at.identity },
    })) {
      resumed.push(text(l));
    }
    expect(resumed).toEqual(['two', 'three']);
  });

  it('starts again at 0 when a recorded file is now shorter (truncated) or another file', async () => {
    const file = join(dir, 'a.log');
    await writeFile(file, 'one\ntwo\nthree\n');
    const lines: FollowedLine[] = [];
    for await (const l of followFile(file)) lines.push(l);
    const last = lines.at(-1) as FollowedLine;
    await truncate(file, 4);
    const events: TailEvent[] = [];
    const got: string[] = [];
    const from = { offset: last.nextOffset, identity: last.identity };
    for await (const l of followFile(file, { from, onEvent: (e) => events.push(e) })) {
      got.push(text(l));
    }
    expect(got).toEqual(['one']);
    expect(events).toEqual([{ type: 'truncated', path: file, offset: 14, size: 4, lostBytes: 0 }]);

    await unlink(file);
    await writeFile(file, 'a new file, longer\n'); // may reuse the inode: the fingerprint tells
    events.length = 0;
    got.length = 0;
    for await (const l of followFile(file, { from, onEvent: (e) => events.push(e) })) {
      got.push(text(l));
    }
    expect(got).toEqual(['a new file, longer']);
    // The recorded file is nowhere: reported as gone (or as truncated when the new file
    // reused its inode), with its unread bytes as far as known.
    expect(events).toHaveLength(1);
    expect(['vanished', 'truncated']).toContain(events[0]?.type);
  });

  it('after a restart, finishes a checkpointed file that was renamed away, then the new one', async () => {
    const file = join(dir, 'a.log');
    await writeFile(file, 'one\ntwo\n');
    const first = await firstLine(file);
    await appendFile(file, 'three\n');
    await rename(file, `${file}.1`);
    await writeFile(file, 'fresh\n');
    const got: string[] = [];
    const events: string[] = [];
    for await (const l of followFile(file, {
      from: { offset: first.nextOffset, identity: first.identity },
      onEvent: (e) => events.push(e.type),
    })) {
      got.push(text(l));
    }
    expect(got).toEqual(['two', 'three', 'fresh']);
    expect(events).toEqual(['rotated']);
  });

  it('throws InputError naming the path for a missing file and for a directory', async () => {
    const missing = join(dir, 'nope.log');
    const events: TailEvent[] = [];
    const err = await (async () => {
      for await (const _ of followFile(missing, { onEvent: (e) => events.push(e) })) {
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).path).toBe(missing);
    expect((err as InputError).systemCode).toBe('ENOENT');
    expect(events).toEqual([{ type: 'missing', path: missing }]);

    const sub = join(dir, 'sub');
    await mkdir(sub);
    const err2 = await (async () => {
      for await (const _ of followFile(sub)) {
      }
    })().catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(InputError);
    expect((err2 as InputError).systemCode).toBe('EISDIR');
    expect((err2 as Error).message).toContain(sub);
  });
});

describe('followFile with follow', () => {
  const follow = (
    file: string,
    events: TailEvent[],
    ac: AbortController,
    extra: FollowOptions = {},
  ) =>
    collect(
      followFile(file, {
        follow: true,
        intervalMs: 10,
        signal: ac.signal,
        onEvent: (e) => events.push(e),
        ...extra,
      }),
      text,
    );

  /**
   * `a.log` holding `content`, and a hard link to it in another directory: writes through the
   * link give the followed directory no event.
   */
  const fileWithAliasElsewhere = async (content: string) => {
    const file = join(dir, 'a.log');
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    await writeFile(file, content);
    const alias = join(elsewhere, 'alias.log');
    await link(file, alias);
    return { file, alias };
  };

  it('picks up growth and holds a partial line until its newline arrives', async () => {
    const file = join(dir, 'a.log');
    await writeFile(file, 'one\n');
    const ac = new AbortController();
    const events: TailEvent[] = [];
    const c = follow(file, events, ac);
    await waitFor(() => c.items.length === 1, 'first line');
    await appendFile(file, 'tw');
    await appendFile(file, 'o\nthr');
    await waitFor(() => c.items.length === 2, 'completed line');
    await appendFile(file, 'ee\n');
    await waitFor(() => c.items.length === 3, 'third line');
    ac.abort();
    await c.done;
    expect(c.items).toEqual(['one', 'two', 'three']);
    expect(events).toEqual([]);
  });

  it('sees an append its directory gave no event for at the safety look', async () => {
    // Written through a hard link in another directory: inotify reports it there, not in
    // the followed file's directory, so only the safety look can find it.
    const { file, alias } = await fileWithAliasElsewhere('one\n');
    const seen: string[] = [];
    const probe = watch(dir, (_type, name) => seen.push(String(name)));
    const ac = new AbortController();
    const events: TailEvent[] = [];
    const c = follow(file, events, ac, { safetyIntervalMs: 150 });
    try {
      await waitFor(() => c.items.length === 1, 'first line');
      await new Promise((r) => setTimeout(r, 400)); // looks that find nothing new
      await appendFile(alias, 'two\n');
      await waitFor(() => c.items.length === 2, 'the line only a look can see');
      expect(seen.filter((n) => n === 'a.log')).toEqual([]);
      await appendFile(file, 'three\n');
      await waitFor(() => c.items.length === 3, 'a line with an event after the looks');
    } finally {
      probe.close();
      ac.abort();
      await c.done;
    }
    expect(c.items).toEqual(['one', 'two', 'three']);
    expect(events).toEqual([]);
  });

  it('sees at the safety look a rewrite in place that kept the size and gave no event', async () => {
    // Rewritten through a hard link in another directory without changing its size: only the
    // modification time tells the looks (made on the timer, see Waker) that it changed.
    const { file, alias } = await fileWithAliasElsewhere('one\n');
    const ac = new AbortController();
    const events: TailEvent[] = [];
    const c = follow(file, events, ac, { safetyIntervalMs: 150 });
    try {
      await waitFor(() => c.items.length === 1, 'first line');
      await new Promise((r) => setTimeout(r, 400)); // looks that find nothing new
      const fd = openSync(alias, 'r+');
      try {
        writeSync(fd, 'uno\n', 0);
      } finally {
        closeSync(fd);
      }
      await waitFor(() => c.items.length === 2, 'the rewritten line');
    } finally {
      ac.abort();
      await c.done;
    }
    expect(c.items).toEqual(['one', 'uno']);
    expect(events.map((e) => e.type)).toEqual(['truncated']);
  });

  it('starts again at 0 after truncation and reports it', async () => {
    const file = join(dir, 'a.log');
    await writeFile(file, 'one\ntwo\n');
    const ac = new AbortController();
    const events: TailEvent[] = [];
    const c = follow(file, events, ac);
    await waitFor(() => c.items.length === 2, 'two lines');
    await truncate(file, 0);
    await waitFor(() => events.length === 1, 'truncation event');
    await appendFile(file, 'after\n');
    await waitFor(() => c.items.length === 3, 'line after truncation');
    ac.abort();
    await c.done;
    expect(c.items).toEqual(['one', 'two', 'after']);
    expect(events).toEqual([{ type: 'truncated', path: file, offset: 8, size: 0, lostBytes: 0 }]);
  });

  it('reads a renamed file to its end, then the new file from its start', async () => {
    const file = join(dir, 'a.log');
    await writeFile(file, 'old-1\n');
    const ac = new AbortController();
    const events: TailEvent[] = [];
    const c = follow(file, events, ac);
    await waitFor(() => c.items.length === 1, 'first line');
    await appendFile(file, 'old-2\nold-partial');
    await rename(file, `${file}.1`);
    await writeFile(file, 'new-1\n');
    await waitFor(() => c.items.length === 4, 'lines of both files');
    ac.abort();
    await c.done;
    expect(c.items).toEqual(['old-1', 'old-2', 'old-partial', 'new-1']);
    // If the follower looked between the rename and the new file's creation, it also saw the
    // name missing for a moment and reports the new file as re-created.
    expect(['rotated', 'rotated,recreated']).toContain(events.map((e) => e.type).join());
  });

  it('survives deletion and re-creation, and waits for a file that appears later', async () => {
    const file = join(dir, 'a.log');
    const ac = new AbortController();
    const events: TailEvent[] = [];
    const c = follow(file, events, ac);
    await waitFor(() => events.length === 1, 'missing event');
    await writeFile(file, 'born\n');
    await waitFor(() => c.items.length === 1, 'line of the new file');
    await unlink(file);
    await waitFor(() => events.length === 3, 'deleted event');
    await writeFile(file, 'reborn\n');
    await waitFor(() => c.items.length === 2, 'line of the re-created file');
    ac.abort();
    await c.done;
    expect(c.items).toEqual(['born', 'reborn']);
    expect(events.map((e) => e.type)).toEqual(['missing', 'recreated', 'deleted', 'recreated']);
  });

  it('splits or skips huge lines while following, reporting them', async () => {
    const file = join(dir, 'a.log');
    await writeFile(file, '');
    const ac = new AbortController();
    const events: TailEvent[] = [];
    const c = follow(file, events, ac, { maxLineBytes: 1000, longLines: 'skip' });
    await appendFile(file, 'a\n');
    await appendFile(file, 'x'.repeat(5000));
    await appendFile(file, `${'x'.repeat(5000)}\nb\n`);
    await waitFor(() => c.items.length === 2, 'lines around the huge one');
    ac.abort();
    await c.done;
    expect(c.items).toEqual(['a', 'b']);
    expect(events).toEqual([
      { type: 'long-line', path: file, offset: 2, bytes: expect.any(Number), action: 'skip' },
    ]);
    // Reported as soon as the limit is passed: what had been read of the line by then.
    expect((events[0] as { bytes: number }).bytes).toBeGreaterThan(1000);
  });

  it('ends cleanly when aborted while waiting', async () => {
    const file = join(dir, 'a.log');
    await writeFile(file, 'x\n');
    const ac = new AbortController();
    const c = follow(file, [], ac);
    await waitFor(() => c.items.length === 1, 'line');
    ac.abort();
    await c.done;
    expect(c.items).toEqual(['x']);
  });
});
