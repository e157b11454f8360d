import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '@fanout/test-kit';
import { msOfNs, quietStatOf, sameQuietStat } from './quiet-stat.js';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('quiet-stat'));
});
afterEach(() => cleanup());

describe('quiet stats', () => {
  it('computes mtimeMs from nanoseconds exactly as the number form of stat does', () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, 'one\n');
    // Times with a fractional millisecond part, and one with whole seconds.
    for (const seconds of [1_764_650_000.123456, 1_700_000_000, 1_800_000_000.999999]) {
      utimesSync(file, seconds, seconds);
      const big = statSync(file, { bigint: true });
      expect(msOfNs(big.mtimeNs)).toBe(statSync(file).mtimeMs);
    }
  });

  it('matches the same unchanged file and tells a modified or other file apart', () => {
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    writeFileSync(a, 'one\n');
    writeFileSync(b, 'one\n');
    utimesSync(a, 1_764_650_000.5, 1_764_650_000.5);
    utimesSync(b, 1_764_650_000.5, 1_764_650_000.5);
    const seen = quietStatOf(statSync(a, { bigint: true }));
    expect(seen).toBeDefined();
    if (!seen) return;
    expect(sameQuietStat(seen, statSync(a))).toBe(true);
    expect(sameQuietStat(seen, statSync(b))).toBe(false); // same time, other inode
    utimesSync(a, 1_764_650_001.25, 1_764_650_001.25); // same size, touched
    expect(sameQuietStat(seen, statSync(a))).toBe(false);
  });

  it('keeps files whose numbers do not fit a double to the bigint looks', () => {
    const st = statSync(join(dir), { bigint: true });
    const huge = Object.assign(Object.create(Object.getPrototypeOf(st)), st, {
      ino: 2n ** 60n + 1n,
    });
    expect(quietStatOf(huge)).toBeUndefined();
  });
});
