import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine, type Grid, parsePattern, type Pattern, placePattern } from '../src/index.js';

// Files written by Golly itself (bgolly 3.3; see fixtures/golly/README.md): they load with
// the size and topology of their bounded grid, and our engines reach the same worlds.

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'golly');
const load = (name: string): Pattern =>
  parsePattern(readFileSync(join(fixtures, name), 'utf8'), { fileName: name });

/** Cells as `x,y` keys, moved so the world's cells are compared up to a (wrapped) shift. */
function sameUpToShift(a: Grid, b: Grid): boolean {
  const { height, width } = a;
  const cellsA = a.liveCells();
  const keysB = new Set(b.liveCells().map(([x, y]) => `${x},${y}`));
  if (cellsA.length !== keysB.size) return false;
  const wrap = a.topology === 'torus';
  for (let dy = wrap ? 0 : -height; dy < height; dy++) {
    for (let dx = wrap ? 0 : -width; dx < width; dx++) {
      const moved = cellsA.every(([x, y]) => {
        const mx = wrap ? (x + dx) % width : x + dx;
        const my = wrap ? (y + dy) % height : y + dy;
        return keysB.has(`${mx},${my}`);
      });
      if (moved) return true;
    }
  }
  return false;
}

describe('RLE files written by Golly', () => {
  it.each([
    ['torus-soup-gen100.rle', 'torus', 16, 16, 31],
    ['torus-glider-gen17.rle', 'torus', 12, 10, 5],
    ['plane-glider-gen40.rle', 'plane', 8, 8, 4],
  ] as const)('%s loads as a %s of %ix%i', async (file, topology, width, height, population) => {
    const pattern = load(file);
    expect(pattern.boundedGrid).toEqual({ topology, width, height });
    await using engine = await createEngine(pattern, { kind: 'bitwise' });
    const world = engine.snapshot();
    expect([world.topology, world.width, world.height]).toEqual([topology, width, height]);
    expect(engine.population()).toBe(population);
  });

  it.each([
    ['torus-soup.rle', 'torus-soup-gen100.rle', 100],
    ['torus-glider.rle', 'torus-glider-gen17.rle', 17],
    ['plane-glider.rle', 'plane-glider-gen40.rle', 40],
  ] as const)(
    '%s run by every engine matches what Golly wrote (%s)',
    async (input, output, generations) => {
      const start = load(input);
      const golly = load(output);
      const grid = golly.boundedGrid!;
      const expected = placePattern(golly, { ...grid, at: 'golly' });
      for (const kind of ['per-cell', 'bitwise'] as const) {
        await using engine = await createEngine(start, { kind });
        await engine.step(generations);
        expect(sameUpToShift(engine.snapshot(), expected), `${kind} ${input}`).toBe(true);
      }
    },
  );

  it('keeps the name, author and comments of a Golly input', () => {
    const pattern = load('torus-glider.rle');
    expect(pattern).toMatchObject({
      name: 'Glider on a torus',
      author: 'fanout',
      comments: ['A glider on a 12 by 10 torus.'],
    });
  });
});
