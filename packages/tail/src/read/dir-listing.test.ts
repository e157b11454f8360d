import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '@fanout/test-kit';
import { listDirectory } from './dir-listing.js';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tail-listing'));
});
afterEach(() => cleanup());

describe('listDirectory', () => {
  it('answers the requests of one turn with one listing, read after they were made', async () => {
    writeFileSync(join(dir, 'a.log'), '');
    const first = listDirectory(dir);
    const second = listDirectory(dir);
    // Made after the requests, before the next turn: the shared listing sees it.
    writeFileSync(join(dir, 'b.log'), '');
    const [one, two] = await Promise.all([first, second]);
    expect(one).toBe(two);
    expect([...one].sort()).toEqual(['a.log', 'b.log']);
  });

  it('never answers a later request with a listing already under way', async () => {
    writeFileSync(join(dir, 'a.log'), '');
    const early = listDirectory(dir);
    await new Promise((r) => setImmediate(r)); // the early listing has started
    renameSync(join(dir, 'a.log'), join(dir, 'a.log.1'));
    const late = listDirectory(dir);
    expect(late).not.toBe(early);
    expect([...(await late)].sort()).toEqual(['a.log.1']);
    await early;
  });

  it('keeps directories apart and rejects for a missing one', async () => {
    mkdirSync(join(dir, 'x'));
    mkdirSync(join(dir, 'y'));
    writeFileSync(join(dir, 'x', 'only-x'), '');
    const [x, y] = await Promise.all([
      listDirectory(join(dir, 'x')),
      listDirectory(join(dir, 'y')),
    ]);
    expect(x).toEqual(['only-x']);
    expect(y).toEqual([]);
    await expect(listDirectory(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
