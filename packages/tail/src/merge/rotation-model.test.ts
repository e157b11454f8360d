import { appendFile, readFile, rename, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom, tempDir, waitFor } from '@fanout/test-kit';
import { mergeFiles } from './merge-files.js';
import type { TailEvent } from '../types.js';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail'));
});
afterEach(() => cleanup());

/**
 * The model: each input is the sequence of lines written to its path, whatever happens to
 * the files (renames, deletions after being read, re-creations, truncation after being read,
 * lines written in pieces). The merged output must hold each input's sequence exactly once,
 * in order. Operations that need the follower to have caught up (as with any `tail -F`:
 * a file deleted or truncated before it is read is lost by definition) wait for it first.
 *
 * `via: 'stream'` merges with prefixes into a stream (lines pass through the main thread);
 * `via: 'file'` merges without prefix into a file, where the writer thread copies the lines
 * itself, and reads the file back to see what was delivered.
 */
async function runModel(
  seed: number,
  inputs: number,
  linesPerInput: number,
  via: 'stream' | 'file',
): Promise<void> {
  const rnd = seededRandom(seed);
  const paths = Array.from({ length: inputs }, (_, i) => join(dir, `in${i}.log`));
  const written: string[][] = paths.map(() => []);
  const delivered: string[][] = paths.map(() => []);
  const exists = paths.map(() => false);
  // Bytes appended since the file appeared or was last truncated: truncating an empty file
  // changes nothing, so no truncation can be seen.
  const grown = paths.map(() => false);
  const events: TailEvent[] = [];
  let carry = '';
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const text = carry + chunk.toString();
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        const sep = line.indexOf(': ');
        const index = paths.indexOf(line.slice(0, sep));
        expect(index).toBeGreaterThanOrEqual(0);
        delivered[index]?.push(line.slice(sep + 2));
      }
      cb();
    },
  });
  const outPath = join(dir, 'merged.out');
  const readBack = async (): Promise<void> => {
    if (via === 'stream') return;
    const text = await readFile(outPath, 'utf8').catch(() => '');
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    for (const d of delivered) d.length = 0;
    for (const line of lines) delivered[Number(line.slice(1, line.indexOf('-')))]?.push(line);
  };
  const caughtUp = (i: number) =>
    waitFor(async () => {
      await readBack();
      return delivered[i]?.length === written[i]?.length;
    }, `input ${i} to catch up (seed ${seed}, ${via})`);
  const eventCount = (type: string) => events.filter((e) => e.type === type).length;

  const ac = new AbortController();
  const merging = mergeFiles(paths, via === 'stream' ? out : outPath, {
    follow: true,
    prefix: via === 'stream',
    intervalMs: 5,
    signal: ac.signal,
    onEvent: (e) => events.push(e),
  });
  let renames = 0;
  let next = paths.map(() => 0);
  while (next.some((n) => n < linesPerInput)) {
    const i = Math.floor(rnd() * inputs);
    const path = paths[i] as string;
    if ((next[i] as number) >= linesPerInput) continue;
    const roll = rnd();
    if (exists[i] && roll < 0.04) {
      // Rotation by rename: no need to wait before; the old file is read to its end.
      await rename(path, `${path}.${renames++}`);
      exists[i] = false;
    } else if (exists[i] && roll < 0.07) {
      await caughtUp(i);
      await unlink(path);
      exists[i] = false;
    } else if (exists[i] && grown[i] && roll < 0.09) {
      await caughtUp(i);
      const before = eventCount('truncated');
      await truncate(path, 0);
      grown[i] = false;
      await waitFor(() => eventCount('truncated') > before, `truncation seen (seed ${seed})`);
    } else {
      const line = `i${i}-${String(next[i]).padStart(6, '0')}-${'x'.repeat(Math.floor(rnd() * 30))}`;
      next = next.map((n, k) => (k === i ? n + 1 : n));
      written[i]?.push(line);
      const full = `${line}\n`;
      if (rnd() < 0.3) {
        const cut = 1 + Math.floor(rnd() * (full.length - 1));
        await appendFile(path, full.slice(0, cut));
        await appendFile(path, full.slice(cut));
      } else await appendFile(path, full);
      grown[i] = true;
      if (!exists[i]) {
        exists[i] = true;
        // The follower must open this file before it can be rotated away again.
        await caughtUp(i);
      }
    }
  }
  for (let i = 0; i < inputs; i++) await caughtUp(i);
  ac.abort();
  const result = await merging;
  await readBack();
  expect(result.errors).toEqual([]);
  expect(delivered).toEqual(written);
  expect(carry).toBe('');
  // The run really exercised rotation, deletion/re-creation and truncation.
  expect(eventCount('rotated')).toBe(renames);
  expect(eventCount('deleted')).toBeGreaterThan(0);
  expect(eventCount('recreated')).toBeGreaterThan(0);
  expect(eventCount('truncated')).toBeGreaterThan(0);
}

describe('rotation model', () => {
  it.each([1, 2, 3])(
    'delivers every line exactly once, in order per input (seed %i)',
    async (seed) => {
      await runModel(seed, 3, 150, 'stream');
    },
  );
  it.each([4, 5])(
    'delivers every line exactly once, copied by the writer thread without prefix (seed %i)',
    async (seed) => {
      await runModel(seed, 3, 150, 'file');
    },
  );
});
