import type { BigIntStats } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Generation } from './generations.js';
import { type Placed, readingOrder } from './reading-order.js';
import type { Candidate } from './scan.js';
import { SiblingMatcher } from './siblings.js';

const matcher = new SiblingMatcher('a.log');
const MS = 1_000_000n;

/** A generation found at `name` (the path itself for 'a.log') last written at `mtimeNs`. */
function at(name: string, mtimeNs: bigint, fresh = true): Placed {
  const live = name === 'a.log';
  const view = {
    path: `/logs/${name}`,
    stats: { mtimeNs } as BigIntStats,
    live,
    unnamed: false,
    sibling: live ? undefined : matcher.match(name),
  } as unknown as Candidate;
  const gen = { path: view.path, offset: 0, done: false } as unknown as Generation;
  return { gen, view, fresh };
}

const names = (placed: readonly Placed[]) => placed.map((p) => p.view.path.slice(6));

describe('readingOrder', () => {
  it('orders fresh files by their times, the path last, known generations first', () => {
    const t = 1_000n * MS;
    const order = readingOrder([
      at('a.log', t + 5n * MS),
      at('a.log.1', t + 3n * MS),
      at('a.log-old', t + 1n * MS),
      at('a.log.2', t + 2n * MS),
      at('a.log.9', t + 9n * MS, false),
    ]);
    expect(names(order)).toEqual(['a.log.9', 'a.log-old', 'a.log.2', 'a.log.1', 'a.log']);
  });

  it('numbered shifting: a .gz whose time the compressor rounded up past the next file is still older', () => {
    // Node's `stat().mtime` is rounded to the millisecond: a file compressed with the time
    // it gives can look up to 0.5 ms newer than the file rotated after it.
    const t = 5_000n * MS;
    const order = readingOrder([
      at('a.log.1', t + 823_558n), // written last, fine-grained
      at('a.log.2.gz', t + 999_000n), // the time of the file before, rounded up
      at('a.log.3.gz', t),
      at('a.log.4.gz', t - 88n * MS),
      at('a.log', t + 2n * MS),
    ]);
    expect(names(order)).toEqual(['a.log.4.gz', 'a.log.3.gz', 'a.log.2.gz', 'a.log.1', 'a.log']);
  });

  it('a compressor that keeps no time at all (the .gz is as new as its compression)', () => {
    const t = 9_000n * MS;
    const order = readingOrder([
      at('a.log.1', t + 10n * MS),
      at('a.log.2.gz', t + 20n * MS), // compressed at the last rotation, after .1 was written
      at('a.log.3.gz', t + 5n * MS),
      at('a.log.4.gz', t + 1n * MS),
    ]);
    expect(names(order)).toEqual(['a.log.4.gz', 'a.log.3.gz', 'a.log.2.gz', 'a.log.1']);
  });

  it('.N increasing and date stamps run the other way, as their times say', () => {
    const t = 2_000n * MS;
    const increasing = readingOrder([
      at('a.log.7', t + 3n * MS),
      at('a.log.6.gz', t + 4n * MS), // time rounded up past .7
      at('a.log.5.gz', t + 1n * MS),
    ]);
    expect(names(increasing)).toEqual(['a.log.5.gz', 'a.log.6.gz', 'a.log.7']);
    const dated = readingOrder([
      at('a.log-20261203', t + 3n * MS),
      at('a.log-20261202.gz', t + 5n * MS),
      at('a.log-20261201.gz', t + 1n * MS),
    ]);
    expect(names(dated)).toEqual(['a.log-20261201.gz', 'a.log-20261202.gz', 'a.log-20261203']);
  });

  it('names of different schemes are not compared with each other: their times order them', () => {
    const t = 3_000n * MS;
    // The old numbered files, then the directory switched to date stamps.
    const order = readingOrder([
      at('a.log-20261202', t + 8n * MS),
      at('a.log.1', t + 4n * MS),
      at('a.log-20261201', t + 6n * MS),
      at('a.log.2', t + 2n * MS),
    ]);
    expect(names(order)).toEqual(['a.log.2', 'a.log.1', 'a.log-20261201', 'a.log-20261202']);
  });

  it('equal times (a coarse clock): the names decide, shifting when they run up from .1', () => {
    const t = 4_000n * MS;
    const order = readingOrder([at('a.log.1', t), at('a.log.3', t), at('a.log.2', t)]);
    expect(names(order)).toEqual(['a.log.3', 'a.log.2', 'a.log.1']);
  });
});
