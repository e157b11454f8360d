import { appendFile, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom, tempDir, waitFor } from '@fanout/test-kit';
import { CheckpointError, InputError, OutputWriteError } from '../errors.js';
import { createLineWriter } from '../write/line-writer.js';
import { FIRST_READ_BYTES } from '../read/follower.js';
import { mergeFiles } from './merge-files.js';
import type { TailEvent } from '../types.js';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail'));
});
afterEach(() => cleanup());

/** Writes `n` numbered lines per input; returns the paths and their lines. */
async function makeInputs(count: number, n: number, start = 0): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `in${i}.log`);
    const lines = Array.from({ length: n }, (_, k) => `in${i} line ${start + k}\n`);
    await appendFile(path, lines.join(''));
    paths.push(path);
  }
  return paths;
}

/** Output lines grouped by input tag (`inK`), in output order. */
function byInput(text: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const line of text.split('\n').filter((l) => l.length > 0)) {
    const tag = line.split(' ')[0] as string;
    groups.set(tag, [...(groups.get(tag) ?? []), line]);
  }
  return groups;
}

function expectComplete(text: string, inputs: number, lines: number, from = 0): void {
  const groups = byInput(text);
  expect(groups.size).toBe(inputs);
  for (const [tag, got] of groups) {
    expect(got).toEqual(Array.from({ length: lines }, (_, k) => `${tag} line ${from + k}`));
  }
}

function memoryStream(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

describe('mergeFiles', () => {
  it('merges whole lines of every input into a file, keeping each input in order', async () => {
    const inputs = await makeInputs(4, 5000);
    const out = join(dir, 'out.log');
    const result = await mergeFiles(inputs, out);
    expect(result).toMatchObject({ files: 4, lines: 20000, errors: [], aborted: false });
    const text = await readFile(out, 'utf8');
    expect(result.bytes).toBe(Buffer.byteLength(text));
    expectComplete(text, 4, 5000);
  });

  it('copies in the writer thread exactly what the line-by-line path gives: long, split, partial lines', async () => {
    // Lines longer than the writer's 256 KiB copy buffer, over maxLineBytes (split), empty,
    // and a last one without newline: each one sends the copy back to the line-by-line path.
    const a = join(dir, 'a.log');
    const parts = ['short\n', '\n', `${'L'.repeat(300_000)}\n`, 'after long\n'];
    parts.push(`${'S'.repeat(700_000)}\n`, ...Array.from({ length: 3000 }, (_, k) => `n ${k}\n`));
    parts.push('no newline at the end');
    await writeFile(a, parts.join(''));
    const options = { maxLineBytes: 500_000, chunkBytes: 64 * 1024 };
    const streamEvents: TailEvent[] = [];
    const { stream, text } = memoryStream();
    const viaStream = await mergeFiles([a], stream, {
      ...options,
      onEvent: (e) => streamEvents.push(e),
    });
    const fileEvents: TailEvent[] = [];
    const out = join(dir, 'out.log');
    const viaFile = await mergeFiles([a], out, { ...options, onEvent: (e) => fileEvents.push(e) });
    const got = await readFile(out, 'latin1');
    expect(got).toBe(text());
    expect(got.split('\n').filter((l) => l.startsWith('S'))).toHaveLength(2); // split once
    expect(got.endsWith('no newline at the end\n')).toBe(true);
    // `bytes` of a long-line report is what had been read when the limit was passed.
    const longLines = (events: TailEvent[]) =>
      events.map((e) => (e.type === 'long-line' ? { ...e, bytes: e.bytes > 500_000 } : e));
    expect(longLines(fileEvents)).toEqual(longLines(streamEvents));
    expect(longLines(streamEvents)).toEqual([
      { type: 'long-line', path: a, offset: 300_019, bytes: true, action: 'split' },
    ]);
    expect(viaFile).toMatchObject({ lines: viaStream.lines, bytes: viaStream.bytes });
    expect(viaFile.bytes).toBe(got.length);
  });

  it('writes every line whole and once when reads end inside lines (random line lengths, small reads)', async () => {
    // A line-by-line read that ends inside a line steps back to that line's start so that
    // the bulk copy takes over; with reads of 1,000 bytes nearly every read ends so.
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const random = seededRandom(seed);
      const a = join(dir, `random-${seed}.log`);
      const lines: string[] = [];
      for (let i = 0; i < 400; i++) {
        const r = random();
        const length = r < 0.05 ? Math.floor(random() * 5000) : Math.floor(random() * 300);
        lines.push(`${i} ${'x'.repeat(length)}\n`);
      }
      if (seed % 2 === 0) lines.push('last without newline');
      await writeFile(a, lines.join(''));
      // Every line within maxLineBytes: the output is the input (a last line gets its newline).
      const expected = `${lines.join('')}${seed % 2 === 0 ? '\n' : ''}`;
      const options = { maxLineBytes: 8000, chunkBytes: 1000 };
      const streamEvents: TailEvent[] = [];
      const { stream, text } = memoryStream();
      await mergeFiles([a], stream, { ...options, onEvent: (e) => streamEvents.push(e) });
      const fileEvents: TailEvent[] = [];
      const out = join(dir, `random-${seed}.out`);
      const viaFile = await mergeFiles([a], out, {
        ...options,
        onEvent: (e) => fileEvents.push(e),
      });
      const got = await readFile(out, 'latin1');
      expect(got, `seed ${seed}`).toBe(expected);
      expect(text(), `seed ${seed}`).toBe(expected);
      expect(fileEvents, `seed ${seed}`).toEqual([]);
      expect(streamEvents, `seed ${seed}`).toEqual([]);
      expect(viaFile.bytes).toBe(got.length);
    }
  });

  it('takes a file whole when its first line is longer than the first read (default reads)', async () => {
    // The first read of a file is short (FIRST_READ_BYTES) so that the bulk copy takes the
    // rest; a first line longer than it, or one crossing its end, still comes out whole.
    for (const first of [FIRST_READ_BYTES - 3, FIRST_READ_BYTES, FIRST_READ_BYTES + 5000]) {
      const a = join(dir, `first-${first}.log`);
      const lines = [`${'F'.repeat(first)}\n`];
      for (let i = 0; i < 50_000; i++) lines.push(`line ${i}\n`);
      await writeFile(a, lines.join(''));
      const out = join(dir, `first-${first}.out`);
      const result = await mergeFiles([a], out);
      expect(await readFile(out, 'latin1'), `first line of ${first} bytes`).toBe(lines.join(''));
      expect(result.lines).toBe(lines.length);
    }
  });

  it('prefixes lines with the input path, adds a newline to a last partial line', async () => {
    const a = join(dir, 'a.log');
    await writeFile(a, 'x\ny');
    const { stream, text } = memoryStream();
    const result = await mergeFiles([a], stream, { prefix: true });
    expect(text()).toBe(`${a}: x\n${a}: y\n`);
    expect(result.lines).toBe(2);
  });

  it('reports missing and unreadable inputs with their paths and merges the others', async () => {
    const [good] = await makeInputs(1, 10);
    const missing = join(dir, 'missing.log');
    const directory = join(dir, 'a-directory');
    await mkdir(directory);
    const events: TailEvent[] = [];
    const { stream, text } = memoryStream();
    const result = await mergeFiles([missing, good as string, directory], stream, {
      onEvent: (e) => events.push(e),
    });
    expectComplete(text(), 1, 10);
    expect(result.errors.map((e) => [e.path, (e.error as InputError).systemCode])).toEqual(
      expect.arrayContaining([
        [missing, 'ENOENT'],
        [directory, 'EISDIR'],
      ]),
    );
    expect(result.errors.every((e) => e.error instanceof InputError)).toBe(true);
    expect(events.filter((e) => e.type === 'error').map((e) => e.path)).toEqual(
      expect.arrayContaining([missing, directory]),
    );
  });

  it('waits for a missing input when following', async () => {
    const later = join(dir, 'later.log');
    const { stream, text } = memoryStream();
    const ac = new AbortController();
    const events: string[] = [];
    const merging = mergeFiles([later], stream, {
      follow: true,
      intervalMs: 5,
      signal: ac.signal,
      onEvent: (e) => events.push(e.type),
    });
    await waitFor(() => events.includes('missing'), 'missing event');
    await writeFile(later, 'finally\n');
    await waitFor(() => text() === 'finally\n', 'the line of the late file');
    ac.abort();
    const result = await merging;
    expect(result).toMatchObject({ lines: 1, errors: [], aborted: true });
    expect(events).toEqual(['missing', 'recreated']);
  });

  it('rejects with OutputWriteError when the output cannot be written', async () => {
    const inputs = await makeInputs(2, 100);
    const err = await mergeFiles(inputs, '/dev/full').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputWriteError);
    expect((err as OutputWriteError).systemCode).toBe('ENOSPC');
    const out = join(dir, 'out-dir');
    await mkdir(out);
    await expect(mergeFiles(inputs, out)).rejects.toThrow(/EISDIR/);
  });

  it('rejects with OutputWriteError when a stream output fails (no crash on its error event)', async () => {
    const inputs = await makeInputs(2, 1000);
    const broken = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const err = await mergeFiles(inputs, broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputWriteError);
    expect((err as OutputWriteError).systemCode).toBe('EPIPE');
  });

  it('writes into a caller-owned LineWriter without closing it', async () => {
    const inputs = await makeInputs(2, 100);
    const out = join(dir, 'out.log');
    await using writer = await createLineWriter(out);
    await writer.write('header\n');
    await mergeFiles(inputs, writer);
    await writer.write('footer\n');
    await writer.flush();
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('header');
    expect(lines.at(-1)).toBe('footer');
    expect(lines).toHaveLength(202);
  });

  it('resumes from a checkpoint: nothing lost, nothing twice, output cut back', async () => {
    const inputs = await makeInputs(3, 100);
    const out = join(dir, 'out.log');
    const ckpt = join(dir, 'out.ckpt');
    await mergeFiles(inputs, out, { checkpoint: ckpt });
    const state = JSON.parse(await readFile(ckpt, 'utf8'));
    expect(state.outputLength).toBe((await readFile(out)).length);
    // Bytes written after the checkpoint (as if the process died before the next one) are cut.
    await appendFile(out, 'in0 garbage from a crashed run\n');
    await makeInputs(3, 50, 100);
    const again = await mergeFiles(inputs, out, { checkpoint: ckpt });
    expect(again.lines).toBe(150);
    expectComplete(await readFile(out, 'utf8'), 3, 150);
  });

  it('refuses a checkpoint that belongs to another output or a stream output', async () => {
    const inputs = await makeInputs(1, 3);
    const ckpt = join(dir, 'out.ckpt');
    await mergeFiles(inputs, join(dir, 'a.out'), { checkpoint: ckpt });
    await expect(mergeFiles(inputs, join(dir, 'b.out'), { checkpoint: ckpt })).rejects.toThrow(
      CheckpointError,
    );
    await expect(
      mergeFiles(inputs, memoryStream().stream, { checkpoint: ckpt }),
    ).rejects.toBeInstanceOf(CheckpointError);
    await writeFile(ckpt, '{not json');
    await expect(mergeFiles(inputs, join(dir, 'a.out'), { checkpoint: ckpt })).rejects.toThrow(
      /not valid JSON/,
    );
  });

  it('on abort while following, flushes and writes a final checkpoint to resume from', async () => {
    const inputs = await makeInputs(2, 20);
    const out = join(dir, 'out.log');
    const ckpt = join(dir, 'out.ckpt');
    const ac = new AbortController();
    const merging = mergeFiles(inputs, out, {
      follow: true,
      intervalMs: 5,
      checkpoint: ckpt,
      checkpointIntervalMs: 10_000,
      signal: ac.signal,
    });
    await waitFor(async () => (await readFile(out, 'utf8').catch(() => '')).length > 0, 'output');
    await makeInputs(2, 5, 20);
    await waitFor(
      async () => (await readFile(out, 'utf8')).split('\n').length === 51,
      'all lines in the output',
    );
    ac.abort();
    const result = await merging;
    expect(result.aborted).toBe(true);
    const state = JSON.parse(await readFile(ckpt, 'utf8'));
    expect(state.outputLength).toBe((await readFile(out)).length);
    await makeInputs(2, 5, 25);
    await mergeFiles(inputs, out, { checkpoint: ckpt });
    expectComplete(await readFile(out, 'utf8'), 2, 30);
  });

  it('every checkpoint taken while small appends and big copies interleave is exact', async () => {
    // Small appends are read and written on the main thread, big ones copied by the writer
    // thread; at every checkpoint the output up to its recorded length must hold exactly each
    // input's lines up to its recorded offset — not one line more or less, in order.
    const rnd = seededRandom(1818);
    const inputs = [0, 1, 2, 3].map((i) => join(dir, `in${i}.log`));
    const written = inputs.map(() => 0);
    for (const p of inputs) await writeFile(p, '');
    const out = join(dir, 'out.log');
    const ckpt = join(dir, 'out.ckpt');
    const ac = new AbortController();
    const merging = mergeFiles(inputs, out, {
      follow: true,
      intervalMs: 5,
      checkpoint: ckpt,
      checkpointIntervalMs: 3,
      signal: ac.signal,
    });
    const append = async (i: number, n: number) => {
      let text = '';
      for (let k = 0; k < n; k++) {
        text += `in${i} line ${written[i]} ${'w'.repeat(k % 30)}\n`;
        written[i] = (written[i] as number) + 1;
      }
      await appendFile(inputs[i] as string, text);
    };
    const checked = new Set<string>();
    const check = async () => {
      const text = await readFile(ckpt, 'utf8').catch(() => '');
      if (text === '' || checked.has(text)) return;
      checked.add(text);
      const state = JSON.parse(text);
      const output = (await readFile(out)).subarray(0, state.outputLength).toString();
      expect(output.length === 0 || output.endsWith('\n')).toBe(true);
      const groups = new Map<string, string[]>();
      for (const line of output.split('\n')) {
        if (line === '') continue;
        const tag = line.slice(0, line.indexOf(' '));
        const list = groups.get(tag) ?? [];
        list.push(line);
        groups.set(tag, list);
      }
      for (let i = 0; i < inputs.length; i++) {
        const gen = state.inputs[inputs[i] as string]?.generations[0];
        const offset: number = gen?.offset ?? 0;
        const recorded = (await readFile(inputs[i] as string))
          .subarray(0, offset)
          .toString()
          .split('\n')
          .filter((l) => l !== '');
        expect(groups.get(`in${i}`) ?? [], `input ${i} at a checkpoint`).toEqual(recorded);
      }
    };
    for (let step = 0; step < 300; step++) {
      const i = Math.floor(rnd() * inputs.length);
      // Mostly one line; sometimes a burst of ~150-300 KiB (the writer thread copies it).
      await append(i, rnd() < 0.03 ? 4000 + Math.floor(rnd() * 4000) : 1);
      if (rnd() < 0.3) await new Promise((r) => setTimeout(r, 1 + Math.floor(rnd() * 4)));
      if (rnd() < 0.2) await check();
    }
    await waitFor(
      async () =>
        (await readFile(out, 'utf8')).split('\n').length === written.reduce((a, b) => a + b) + 1,
      'every line in the output',
    );
    ac.abort();
    await merging;
    await check();
    expect(checked.size).toBeGreaterThan(5);
    const seqs = inputs.map((): number[] => []);
    for (const line of (await readFile(out, 'utf8')).split('\n')) {
      if (line === '') continue;
      const [tag, , n] = line.split(' ');
      seqs[Number(tag?.slice(2))]?.push(Number(n));
    }
    for (let i = 0; i < inputs.length; i++) {
      expect(seqs[i]).toEqual(Array.from({ length: written[i] as number }, (_, k) => k));
    }
  });

  it('starts inputs at their end with from: end; rejects duplicate inputs and output as input', async () => {
    const inputs = await makeInputs(2, 10);
    const { stream, text } = memoryStream();
    const result = await mergeFiles(inputs, stream, { from: 'end' });
    expect(result.lines).toBe(0);
    expect(text()).toBe('');
    await expect(mergeFiles([inputs[0] as string, inputs[0] as string], stream)).rejects.toThrow(
      /given twice/,
    );
    await expect(mergeFiles(inputs, inputs[1] as string)).rejects.toThrow(/also the output/);
    await expect(mergeFiles(inputs, inputs[1] as string)).rejects.toBeInstanceOf(InputError);
  });

  it('reports a recorded file that vanished before it was read to its end, with its path and unread bytes', async () => {
    const [input] = await makeInputs(1, 10);
    const out = join(dir, 'out.log');
    const checkpoint = join(dir, 'out.ckpt');
    await mergeFiles([input as string], out, { checkpoint });
    // As if the merger had last seen the file 60 bytes longer than it read (then stopped).
    const state = JSON.parse(await readFile(checkpoint, 'utf8'));
    const entry = state.inputs[input as string];
    entry.generations[0].size += 60;
    await writeFile(checkpoint, JSON.stringify(state));
    await unlink(input as string);
    const events: TailEvent[] = [];
    const result = await mergeFiles([input as string], out, {
      checkpoint,
      onEvent: (e) => events.push(e),
    });
    const vanished = events.filter((e) => e.type === 'vanished');
    expect(vanished).toMatchObject([{ type: 'vanished', path: input, unreadBytes: 60 }]);
    expect(result.errors.map((e) => e.path)).toEqual([input]); // and now it is missing
    expectComplete(await readFile(out, 'utf8'), 1, 10);
  });

  it('merges glob inputs, following files that appear later from their start; multiline records stay whole', async () => {
    const logs = join(dir, 'logs');
    await mkdir(logs);
    await writeFile(join(logs, 'a.log'), 'A 1\n  a-trace\nA 2\n');
    await writeFile(join(logs, 'skip.txt'), 'never\n');
    const { stream, text } = memoryStream();
    const ac = new AbortController();
    const merging = mergeFiles([join(logs, '*.log')], stream, {
      follow: true,
      intervalMs: 5,
      signal: ac.signal,
      multiline: { start: /^[AB] /, timeoutMs: 20 },
      format: 'json',
    });
    await waitFor(() => text().split('\n').length > 2, 'records of a.log');
    await writeFile(join(logs, 'b.log'), 'B 1\n  b-trace-1\n  b-trace-2\n');
    await waitFor(() => text().includes('b-trace-2'), 'the record of b.log (flushed by timeout)');
    ac.abort();
    const result = await merging;
    const records = text()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.line).sort()).toEqual(
      ['A 1\n  a-trace', 'A 2', 'B 1\n  b-trace-1\n  b-trace-2'].sort(),
    );
    expect(records.find((r) => r.line === 'A 2')).toEqual({
      file: join(logs, 'a.log'),
      offset: 14,
      line: 'A 2',
    });
    expect(result.files).toBe(2);
  });
});
