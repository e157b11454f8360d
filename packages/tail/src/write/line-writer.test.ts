import { closeSync, openSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom, tempDir } from '@fanout/test-kit';
import { OutputWriteError } from '../errors.js';
import {
  copyRange,
  createLineWriter,
  takeSpare,
  takenOver,
  workerExecArgv,
  writeNow,
  writeTransfer,
} from './line-writer.js';
import type { CopyResult } from './writer-protocol.js';

// These tests run the built worker (dist/writer-worker.js): `pnpm test` builds first.
let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail'));
});
afterEach(() => cleanup());

describe('createLineWriter', () => {
  it('writes lines in order, tracks the length, syncs and closes idempotently', async () => {
    const file = join(dir, 'out.log');
    const w = await createLineWriter(file);
    await w.write('a\n');
    await w.write(['b\n', Buffer.from('c\n')]);
    expect(w.length).toBe(6);
    expect(await w.sync()).toBe(6);
    expect(await readFile(file, 'utf8')).toBe('a\nb\nc\n');
    await w.close();
    await w.close();
    await expect(w.write('late\n')).rejects.toBeInstanceOf(OutputWriteError);
  });

  it('works with await using and flushes on dispose', async () => {
    const file = join(dir, 'out.log');
    {
      await using w = await createLineWriter(file, { flushIntervalMs: 5 });
      for (let i = 0; i < 1000; i++) await w.write(`line ${i}\n`);
    }
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(1000);
    expect(lines[999]).toBe('line 999');
  });

  it('applies backpressure with a small window and still writes everything', async () => {
    const file = join(dir, 'out.log');
    const w = await createLineWriter(file, { highWaterMark: 64, batchBytes: 128 });
    const line = `${'y'.repeat(40)}\n`;
    for (let i = 0; i < 500; i++) await w.write(line);
    await w.close();
    expect((await readFile(file)).length).toBe(500 * line.length);
  });

  it('transfers views of one buffer written in several batches, then hands the memory back', async () => {
    const file = join(dir, 'out.log');
    const w = await createLineWriter(file, { batchBytes: 64 * 1024 });
    const internal = w as typeof w & {
      [writeTransfer]: (chunks: Buffer[]) => Promise<void>;
      [takeSpare]: (size: number) => Buffer | undefined;
      [takenOver]: Promise<void>;
    };
    await internal[takenOver]; // before, this thread writes (and the caller keeps its memory)
    const size = 256 * 1024;
    const expected = Buffer.allocUnsafeSlow(size);
    for (let i = 0; i < size; i++) expected[i] = i % 50 === 49 ? 10 : 97 + (i % 26);
    const donated = Buffer.allocUnsafeSlow(size);
    expected.copy(donated);
    // Views of one memory, larger than a batch: it must not go back before the last is written.
    await internal[writeTransfer]([
      donated.subarray(0, 100_000),
      donated.subarray(100_000, 200_000),
      donated.subarray(200_000),
    ]);
    expect(donated.length).toBe(0); // transferred, not copied
    await w.flush();
    expect((await readFile(file)).equals(expected)).toBe(true);
    const spare = internal[takeSpare](size);
    expect(spare?.length).toBe(size);
    expect(internal[takeSpare](size)).toBeUndefined();
    await w.close();
  });

  it('lands small appends (written by either thread), big writes and copies in the order given', async () => {
    // Small transferred writes are written by the main thread itself while the writer thread
    // is idle, and posted while it is busy (a copy or a big write in flight): either way the
    // output must be exactly what was handed over, in order, with the length right.
    const file = join(dir, 'out.log');
    const source = join(dir, 'source.log');
    const block = Array.from({ length: 6000 }, (_, i) => `copied ${i}\n`).join('');
    writeFileSync(source, block);
    const fd = openSync(source, 'r');
    const w = await createLineWriter(file);
    const internal = w as typeof w & {
      [writeTransfer]: (chunks: Buffer[]) => Promise<void>;
      [copyRange]: (fd: number, p: number, max: number, line: number) => Promise<CopyResult>;
      [writeNow]: (data: Uint8Array) => boolean;
      [takenOver]: Promise<void>;
    };
    await internal[takenOver]; // the thread is up: small writes go either way
    // writeNow's bytes stay the caller's: one scratch buffer, overwritten after every call.
    const scratch = Buffer.alloc(64);
    let now = 0;
    let refused = 0;
    const own = (text: string) => {
      const b = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
      b.write(text);
      return b;
    };
    const rnd = seededRandom(18);
    const expected: string[] = [];
    const pending: Promise<unknown>[] = [];
    try {
      for (let step = 0; step < 400; step++) {
        const r = rnd();
        if (r < 0.08) {
          pending.push(internal[copyRange](fd, 0, 1 << 20, 1 << 20));
          expected.push(block);
        } else if (r < 0.12) {
          const big = `${'B'.repeat(70_000)} ${step}\n`;
          pending.push(internal[writeTransfer]([own(big)]));
          expected.push(big);
        } else if (r < 0.5) {
          const small = `now ${step}\n`;
          const n = scratch.write(small);
          const wrote = internal[writeNow](scratch.subarray(0, n));
          scratch.fill(0x2a);
          if (wrote) now++;
          else {
            // Busy: nothing was written, so the caller writes it the usual way.
            refused++;
            pending.push(internal[writeTransfer]([own(small)]));
          }
          expected.push(small);
        } else {
          const small = `small ${step}\n`;
          pending.push(internal[writeTransfer]([own(small)]));
          expected.push(small);
        }
        // Sometimes let everything land, so that the next small write finds the thread idle.
        if (rnd() < 0.3) await Promise.all(pending.splice(0));
        if (rnd() < 0.1) await w.flush();
      }
      await Promise.all(pending);
      // Both cases happened: written at once while idle, refused while the thread was busy.
      expect(now).toBeGreaterThan(10);
      expect(refused).toBeGreaterThan(10);
      const want = expected.join('');
      expect(w.length).toBe(Buffer.byteLength(want));
      expect(await w.sync()).toBe(Buffer.byteLength(want));
      expect(await readFile(file, 'utf8')).toBe(want);
    } finally {
      closeSync(fd);
      await w.close();
    }
  });

  it('starts the writer thread without the parent module loaders', () => {
    const argv = ['--import', 'tsx', '--max-old-space-size=512', '--require=x.cjs', '-r', 'y'];
    argv.push(
      '--input-type=module',
      '--loader',
      'z.mjs',
      '--experimental-loader=w',
      '--no-warnings',
    );
    expect(workerExecArgv(argv)).toEqual(['--max-old-space-size=512', '--no-warnings']);
  });

  it('appends, or cuts an existing file back to a length and continues there', async () => {
    const file = join(dir, 'out.log');
    await writeFile(file, 'keep\ndrop\n');
    const a = await createLineWriter(file, { append: true });
    expect(a.length).toBe(10);
    await a.write('more\n');
    await a.close();
    const c = await createLineWriter(file, { truncateTo: 5 });
    expect(c.length).toBe(5);
    await c.write('next\n');
    await c.close();
    expect(await readFile(file, 'utf8')).toBe('keep\nnext\n');
    await expect(createLineWriter(file, { truncateTo: 100 })).rejects.toThrow(/shorter/);
  });

  it('rejects opening a directory with the path (EISDIR)', async () => {
    const sub = join(dir, 'sub');
    await mkdir(sub);
    const err = await createLineWriter(sub).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputWriteError);
    expect((err as OutputWriteError).systemCode).toBe('EISDIR');
    expect((err as OutputWriteError).path).toBe(sub);
  });

  it('reports a write error (ENOSPC on /dev/full) without crashing, on flush, write and close', async () => {
    const w = await createLineWriter('/dev/full');
    await w.write('hello\n');
    const err = await w.flush().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputWriteError);
    expect((err as OutputWriteError).systemCode).toBe('ENOSPC');
    expect((err as Error).message).toContain('/dev/full');
    await expect(w.write('again\n')).rejects.toBe(err);
    await expect(w.sync()).rejects.toBe(err);
    await expect(w.close()).rejects.toBe(err);
    await expect(w.close()).rejects.toBe(err);
  });

  it('writes nothing at once after a write error, so that the caller hears of it from write', async () => {
    const w = await createLineWriter('/dev/full');
    const internal = w as typeof w & { [writeNow]: (data: Uint8Array) => boolean };
    // The writer thread is idle, so this tries the write here: ENOSPC, reported as not written.
    expect(internal[writeNow](Buffer.from('hello\n'))).toBe(false);
    expect(internal[writeNow](Buffer.from('again\n'))).toBe(false);
    const err = await w.write('hello\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputWriteError);
    expect((err as OutputWriteError).systemCode).toBe('ENOSPC');
    await expect(w.close()).rejects.toBe(err);
  });
});
