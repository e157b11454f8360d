import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededUint32, tempDir } from '@fanout/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PairsSourceError, PairsSyntaxError } from '../errors.js';
import type { GcdPair } from '../types.js';
import { parsePairs } from './pairs.js';
import { readPairs, readPairsFile } from './read-pairs.js';
import { collectPairs, repeatPairs } from './source.js';

/** `text` cut at random places, as strings or as UTF-8 bytes cut anywhere (mid-character too). */
async function* pieces(text: string, seed: number, bytes: boolean) {
  const next = seededUint32(seed);
  const data = bytes ? new TextEncoder().encode(text) : text;
  for (let at = 0; at < data.length; ) {
    const size = 1 + (next() % 40);
    yield data.slice(at, at + size);
    at += size;
  }
}

/** A pairs text of random lines: numbers, bigints, signs, commas, comments (with é and 😀), blanks, CRLF. */
function randomText(seed: number, lines: number): string {
  const next = seededUint32(seed);
  const value = (): string => {
    const sign = ['', '-', '+'][next() % 3]!;
    const digits = next() % 5 === 0 ? 30 + (next() % 40) : 1 + (next() % 9);
    let text = String(1 + (next() % 9));
    for (let i = 1; i < digits; i++) text += String(next() % 10);
    return sign + text;
  };
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const kind = next() % 6;
    const comment = next() % 4 === 0 ? ' # café 😀' : '';
    if (kind === 0) out.push(`# a comment é${comment}`);
    else if (kind === 1) out.push('   ');
    else if (kind === 2) out.push(`${value()} , ${value()}${comment}`);
    else out.push(`\t${value()}  ${value()}${comment}`);
  }
  return out.join(next() % 2 === 0 ? '\n' : '\r\n') + (next() % 2 === 0 ? '\n' : '');
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('readPairs', () => {
  it('reads what parsePairs parses, however the input is cut (50 seeds, text and bytes)', async () => {
    for (let seed = 1; seed <= 50; seed++) {
      const text = randomText(seed, 40);
      const expected = parsePairs(text);
      const bytes = seed % 2 === 0;
      expect(await collectPairs(readPairs(pieces(text, seed, bytes))), `seed ${seed}`).toEqual(
        expected,
      );
    }
  });

  it('fails on the same line, column and problem as parsePairs (30 seeds)', async () => {
    const bad = ['1.5 3', '12', '1 2 3', '1,2,3', ', 4', '4,', 'x 1', `${'9'.repeat(70)}x 1`];
    for (let seed = 1; seed <= 30; seed++) {
      const lines = randomText(seed, 10).split('\n');
      lines.splice(seed % lines.length, 0, bad[seed % bad.length]!);
      const text = lines.join('\n');
      const expected = errorOf(() => parsePairs(text, { source: 'in.txt' }));
      expect(expected).toBeInstanceOf(PairsSyntaxError);
      const actual = await rejectionOf(
        collectPairs(readPairs(pieces(text, seed, true), { source: 'in.txt' })),
      );
      expect(actual, `seed ${seed}`).toMatchObject({
        line: (expected as PairsSyntaxError).line,
        column: (expected as PairsSyntaxError).column,
        problem: (expected as PairsSyntaxError).problem,
        source: 'in.txt',
      });
    }
  });

  it('quotes at most 60 characters of a bad line', async () => {
    const line = `${'7'.repeat(100_000)} x`;
    const error = (await rejectionOf(collectPairs(readPairs(pieces(line, 1, false))))) as Error;
    expect(error).toBeInstanceOf(PairsSyntaxError);
    expect(error.message.length).toBeLessThan(200);
    expect(error.message).toMatch(/^<input>:1:100002: "x" is not an integer in "7{59}…"/);
  });

  it('gives one batch per piece read and numbers lines across pieces', async () => {
    async function* three() {
      yield '1 2\n3 ';
      yield '4\n# c\n';
      yield '5 x\n';
    }
    const batches: GcdPair[][] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const batch of readPairs(three(), { source: 's' })) batches.push(batch);
      })(),
    );
    expect(batches).toEqual([[[1, 2]], [[3, 4]]]);
    expect(error).toMatchObject({ line: 4, column: 3, source: 's' });
  });

  it('accepts a line of maxLineLength characters and refuses a longer one', async () => {
    const pair = '12 18';
    const ok = await collectPairs(readPairs(pieces(`${pair}\n`, 2, false), { maxLineLength: 5 }));
    expect(ok).toEqual([[12, 18]]);
    const crlf = await collectPairs(
      readPairs(pieces(`1 2\r\n${pair}\r\n`, 3, false), { maxLineLength: 5 }),
    );
    expect(crlf).toEqual([
      [1, 2],
      [12, 18],
    ]);
    const error = await rejectionOf(
      collectPairs(readPairs(pieces('1 2\n12 180\n', 4, false), { maxLineLength: 5 })),
    );
    expect(error).toMatchObject({ line: 2, column: 6, problem: 'a line longer than 5 characters' });
  });

  it('stops reading an endless line at the limit instead of filling the memory', async () => {
    let read = 0;
    async function* endless() {
      for (;;) {
        read += 1024;
        yield '7'.repeat(1024);
      }
    }
    const error = await rejectionOf(collectPairs(readPairs(endless(), { maxLineLength: 100_000 })));
    expect(error).toMatchObject({ line: 1, problem: 'a line longer than 100000 characters' });
    expect(read).toBeLessThan(110_000);
  });

  it('refuses a maxLineLength that is not a positive integer', async () => {
    await expect(
      collectPairs(readPairs(pieces('1 2', 1, false), { maxLineLength: 0 })),
    ).rejects.toThrow(RangeError);
  });

  it('turns an error of the input into a PairsSourceError with the system code and cause', async () => {
    const cause = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    async function* failing() {
      yield '1 2\n';
      throw cause;
    }
    const error = await rejectionOf(collectPairs(readPairs(failing(), { source: 'disk.txt' })));
    expect(error).toBeInstanceOf(PairsSourceError);
    expect(error).toMatchObject({ source: 'disk.txt', systemCode: 'EIO', cause });
  });

  it('closes the input when the reader is left early', async () => {
    let closed = false;
    async function* lines() {
      try {
        for (let i = 1; ; i++) yield `${i} ${i + 1}\n`;
      } finally {
        closed = true;
      }
    }
    for await (const batch of readPairs(lines())) {
      expect(batch).toEqual([[1, 2]]);
      break;
    }
    expect(closed).toBe(true);
  });
});

describe('readPairsFile', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('gcd-read');
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('reads a file again for every iteration, and repeatPairs passes over it again', async () => {
    const file = join(dir.dir, 'pairs.txt');
    const text = randomText(77, 5000);
    await writeFile(file, text);
    const stream = readPairsFile(file);
    const expected = parsePairs(text);
    expect(await collectPairs(stream)).toEqual(expected);
    expect(await collectPairs(stream)).toEqual(expected);
    expect(await collectPairs(repeatPairs(() => stream, 3))).toEqual([
      ...expected,
      ...expected,
      ...expected,
    ]);
    expect(await collectPairs(repeatPairs(() => expected, 2))).toEqual([...expected, ...expected]);
    expect(() => repeatPairs(() => expected, 0)).toThrow(RangeError);
  });

  it('names the path and the system code of a missing file and of a directory', async () => {
    const missing = join(dir.dir, 'missing.txt');
    await expect(collectPairs(readPairsFile(missing))).rejects.toMatchObject({
      name: 'PairsSourceError',
      source: missing,
      systemCode: 'ENOENT',
      reason: 'no such file or directory',
    });
    const folder = join(dir.dir, 'folder');
    await mkdir(folder);
    const error = await rejectionOf(collectPairs(readPairsFile(folder)));
    expect(error).toBeInstanceOf(PairsSourceError);
    expect(error).toMatchObject({ source: folder, systemCode: 'EISDIR' });
    expect((error as Error).message).toBe(
      `cannot read pairs from ${folder}: is a directory, expected a pairs file`,
    );
  });
});
