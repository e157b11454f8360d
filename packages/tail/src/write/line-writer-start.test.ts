import { pbkdf2 } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deferred, seededRandom, tempDir } from '@fanout/test-kit';
import { OutputWriteError } from '../errors.js';
import {
  copyRange,
  createLineWriter,
  holdTakeover,
  type InternalWriterOptions,
  type LineWriter,
  takenOver,
  threadStarted,
  writeNow,
  writeTransfer,
} from './line-writer.js';
import type { CopyResult } from './writer-protocol.js';

// The writer starts writing on the caller's thread at once and hands over to its worker
// thread once that is up. `holdTakeover` holds the worker back (it is started, and ready,
// but takes nothing over), so each test knows which thread writes: no timing involved.

type Internal = LineWriter & {
  [writeTransfer]: (chunks: Buffer[]) => Promise<void>;
  [copyRange]: (
    fd: number,
    p: number,
    max: number,
    line: number,
    tail?: Uint8Array,
  ) => Promise<CopyResult>;
  [writeNow]: (data: Uint8Array) => boolean;
  [takenOver]: Promise<void>;
  readonly [threadStarted]: boolean;
};

let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail-start'));
});
afterEach(() => cleanup());

async function open(path: string, options: InternalWriterOptions = {}): Promise<Internal> {
  return (await createLineWriter(path, options)) as Internal;
}

const own = (text: string): Buffer => {
  const b = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  b.write(text);
  return b;
};

/** A source of numbered lines, open for copies; its text and the lines' start offsets. */
function source(name: string, lines: number): { fd: number; text: string; starts: number[] } {
  const path = join(dir, name);
  const all = Array.from({ length: lines }, (_, i) => `${name} line ${i}\n`);
  const starts: number[] = [];
  let at = 0;
  for (const l of all) {
    starts.push(at);
    at += l.length;
  }
  writeFileSync(path, all.join(''));
  return { fd: openSync(path, 'r'), text: all.join(''), starts };
}

/**
 * Random writes (plain, transferred, at once) and copies of whole-line stretches of `src`,
 * `steps` of them; returns what they must add to the output, in order.
 */
async function randomOps(
  w: Internal,
  src: { fd: number; text: string; starts: number[] },
  rnd: () => number,
  steps: number,
  tag: string,
): Promise<string> {
  // What each step adds; a copy's part is known once it answers (it lands in order anyway).
  const expected: (string | Promise<string>)[] = [];
  const pending: Promise<unknown>[] = [];
  for (let step = 0; step < steps; step++) {
    const r = rnd();
    if (r < 0.25) {
      // A copy from a line start, of at most `max` bytes (cut at the last newline read).
      const i = Math.floor(rnd() * src.starts.length);
      const from = src.starts[i] as number;
      const max = 1 + Math.floor(rnd() * 300_000);
      const copied = w[copyRange](src.fd, from, max, 1 << 20).then((res) => {
        expect(res.readFailed).toBe(false);
        return res;
      });
      pending.push(copied);
      expected.push(copied.then((res) => src.text.slice(from, from + res.bytes)));
    } else if (r < 0.35) {
      const big = `${tag} big ${'B'.repeat(70_000 + Math.floor(rnd() * 200_000))} ${step}\n`;
      pending.push(w[writeTransfer]([own(big)]));
      expected.push(big);
    } else if (r < 0.55) {
      const line = `${tag} now ${step}\n`;
      const scratch = Buffer.from(line);
      if (!w[writeNow](scratch)) pending.push(w[writeTransfer]([own(line)]));
      scratch.fill(0x2a); // the caller's memory: reused at once
      expected.push(line);
    } else if (r < 0.75) {
      const line = `${tag} small ${step}\n`;
      pending.push(w[writeTransfer]([own(line)]));
      expected.push(line);
    } else {
      const lines = [`${tag} plain ${step}\n`, Buffer.from(`${tag} plain+ ${step}\n`)];
      pending.push(w.write(lines));
      expected.push(`${tag} plain ${step}\n${tag} plain+ ${step}\n`);
    }
    if (rnd() < 0.2) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return (await Promise.all(expected)).join('');
}

describe('createLineWriter before its thread takes over', () => {
  it('writes and copies at once, in order and whole; the thread then continues at the end', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const file = join(dir, `out-${seed}.log`);
      const src = source(`src-${seed}`, 40_000);
      const hold = deferred();
      const w = await open(file, { [holdTakeover]: hold.promise });
      const rnd = seededRandom(seed);
      try {
        const before = await randomOps(w, src, rnd, 60, 'pre');
        // Written by this thread alone (the worker holds nothing yet), and already there.
        expect(readFileSync(file, 'utf8')).toBe(before);
        expect(w.length).toBe(Buffer.byteLength(before));
        hold.resolve();
        await w[takenOver];
        const after = await randomOps(w, src, rnd, 120, 'post');
        const want = before + after;
        expect(w.length).toBe(Buffer.byteLength(want));
        expect(await w.sync()).toBe(Buffer.byteLength(want));
        expect(readFileSync(file, 'utf8')).toBe(want);
      } finally {
        closeSync(src.fd);
        await w.close();
      }
      expect(readFileSync(file).length).toBe(w.length);
    }
  });

  it('answers a copy made here on a later turn, with the length already counting it', async () => {
    const file = join(dir, 'out.log');
    const src = source('src', 100_000);
    const w = await open(file, { [holdTakeover]: new Promise(() => {}) });
    try {
      let answered = false;
      const copy = w[copyRange](src.fd, 0, 1 << 20, 1 << 20).then((r) => {
        answered = true;
        return r;
      });
      for (let i = 0; i < 10; i++) await Promise.resolve();
      expect(answered).toBe(false); // other callbacks get their turn between copies
      const res = await copy;
      expect(res.bytes).toBeGreaterThan(1 << 19);
      expect(res.bytes).toBeLessThanOrEqual((1 << 20) + 256 * 1024);
      expect(src.text.slice(0, res.bytes).endsWith('\n')).toBe(true);
      expect(w.length).toBe(res.bytes);
      expect(readFileSync(file, 'utf8')).toBe(src.text.slice(0, res.bytes));
      // A copy that starts after what the file holds before it (a truncated input) copies nothing.
      const wrong = await w[copyRange](src.fd, res.bytes, 1 << 20, 1 << 20, Buffer.from('nope\n'));
      expect(wrong.mismatch).toBe(true);
      expect(w.length).toBe(res.bytes);
    } finally {
      closeSync(src.fd);
      await w.close();
    }
  });

  it('keeps what append and cut mode keep: the thread taking over truncates nothing', async () => {
    const file = join(dir, 'out.log');
    writeFileSync(file, 'keep 1\nkeep 2\ndrop\n');
    for (const mode of ['append', 'cut'] as const) {
      const hold = deferred();
      const opts: InternalWriterOptions =
        mode === 'append' ? { append: true } : { truncateTo: 'keep 1\n'.length };
      const w = await open(file, { ...opts, [holdTakeover]: hold.promise });
      const start = readFileSync(file, 'utf8');
      expect(w.length).toBe(start.length);
      await w.write(`${mode} before\n`);
      hold.resolve();
      await w[takenOver];
      await w.write(`${mode} after\n`);
      await w[writeTransfer]([own(`${mode} big ${'x'.repeat(100_000)}\n`)]);
      await w.close();
      expect(readFileSync(file, 'utf8')).toBe(
        `${start}${mode} before\n${mode} after\n${mode} big ${'x'.repeat(100_000)}\n`,
      );
    }
    expect(readFileSync(file, 'utf8').startsWith('keep 1\ncut before\n')).toBe(true);
  });

  it('rejects an open error at once with the path, changing nothing', async () => {
    const missing = join(dir, 'no-such-dir', 'out.log');
    const err = await createLineWriter(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputWriteError);
    expect((err as OutputWriteError).systemCode).toBe('ENOENT');
    expect((err as OutputWriteError).path).toBe(missing);
    expect((err as Error).message).toContain(missing);
    const file = join(dir, 'short.log');
    writeFileSync(file, 'only\n');
    const short = await createLineWriter(file, { truncateTo: 6 }).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(OutputWriteError);
    expect((short as OutputWriteError).systemCode).toBe('ESHORT');
    expect(readFileSync(file, 'utf8')).toBe('only\n');
  });

  it('closes without its thread ever taking over: everything written, the file closed', async () => {
    const file = join(dir, 'out.log');
    const w = await open(file, { [holdTakeover]: new Promise(() => {}) });
    await w.write('one\n');
    expect(w[writeNow](Buffer.from('two\n'))).toBe(true);
    await w[writeTransfer]([own(`${'3'.repeat(200_000)}\n`)]);
    await w.flush();
    await w.close();
    await w.close();
    expect(readFileSync(file, 'utf8')).toBe(`one\ntwo\n${'3'.repeat(200_000)}\n`);
    await expect(w.write('late\n')).rejects.toBeInstanceOf(OutputWriteError);
    await expect(w[copyRange](0, 0, 10, 10)).rejects.toBeInstanceOf(OutputWriteError);
    // An empty output, closed at once, exists and is empty.
    const empty = join(dir, 'empty.log');
    const e = await open(empty, { [holdTakeover]: new Promise(() => {}) });
    await e.close();
    expect(readFileSync(empty, 'utf8')).toBe('');
  });

  it('never starts its thread when closed within the start delay, and writes everything', async () => {
    const file = join(dir, 'out.log');
    const src = source('in.log', 2_000);
    try {
      const w = await open(file, { threadStartDelayMs: 60_000 });
      await w.write('first\n');
      const copied = await w[copyRange](src.fd, 0, 1 << 20, 1 << 20);
      expect(copied.bytes).toBe(Buffer.byteLength(src.text));
      await w[writeTransfer]([own(`${'x'.repeat(100_000)}\n`)]);
      expect(await w.sync()).toBe(w.length);
      expect(w[threadStarted]).toBe(false);
      await w.close();
      expect(w[threadStarted]).toBe(false);
      expect(readFileSync(file, 'utf8')).toBe(`first\n${src.text}${'x'.repeat(100_000)}\n`);
    } finally {
      closeSync(src.fd);
    }
  });

  it('starts its thread once the delay is over, which takes over where the file ends', async () => {
    const file = join(dir, 'out.log');
    const w = await open(file, { threadStartDelayMs: 20 });
    await w.write('before\n');
    expect(w[threadStarted]).toBe(false);
    await w[takenOver];
    expect(w[threadStarted]).toBe(true);
    await w.write(['after\n', `${'y'.repeat(300_000)}\n`]);
    await w.flush();
    await w.close();
    expect(readFileSync(file, 'utf8')).toBe(`before\nafter\n${'y'.repeat(300_000)}\n`);
  });

  it('syncs from here with the durable length, and close waits for a sync in flight', async () => {
    const file = join(dir, 'out.log');
    const w = await open(file, { [holdTakeover]: new Promise(() => {}) });
    await w.write('a\nb\n');
    expect(await w.sync()).toBe(4);
    await w.write('c\n');
    // Keep libuv's threads busy, so that the fsync waits in their queue while close runs:
    // close must wait for it (or the fsync would find its descriptor closed: EBADF).
    const busy = Array.from({ length: Number(process.env.UV_THREADPOOL_SIZE ?? 4) }, () =>
      promisify(pbkdf2)('x', 'y', 100_000, 32, 'sha256'),
    );
    const inFlight = w.sync();
    const closed = w.close();
    expect(await inFlight).toBe(6); // its descriptor was not closed under it
    await closed;
    await Promise.all(busy);
    expect(readFileSync(file, 'utf8')).toBe('a\nb\nc\n');
  });

  it('reports a write error made here (ENOSPC) on the next call, copies and close', async () => {
    const src = source('src', 1000);
    try {
      const w = await open('/dev/full', { [holdTakeover]: new Promise(() => {}) });
      await w.write('accepted\n'); // failed here; reported by the next call
      const err = await w.flush().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutputWriteError);
      expect((err as OutputWriteError).systemCode).toBe('ENOSPC');
      expect((err as OutputWriteError).path).toBe('/dev/full');
      await expect(w.write('again\n')).rejects.toBe(err);
      await expect(w[copyRange](src.fd, 0, 1000, 1000)).rejects.toBe(err);
      await expect(w.sync()).rejects.toBe(err);
      await expect(w.close()).rejects.toBe(err);

      // A copy that fails here rejects itself, and the writer with it.
      const c = await open('/dev/full', { [holdTakeover]: new Promise(() => {}) });
      const copyErr = await c[copyRange](src.fd, 0, 1000, 1000).catch((e: unknown) => e);
      expect(copyErr).toBeInstanceOf(OutputWriteError);
      expect((copyErr as OutputWriteError).systemCode).toBe('ENOSPC');
      await expect(c.flush()).rejects.toBe(copyErr);
      await expect(c.close()).rejects.toBe(copyErr);
    } finally {
      closeSync(src.fd);
    }
  });
});
