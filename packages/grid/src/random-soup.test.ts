import { describe, expect, it } from 'vitest';
import { randomSoup } from './random-soup.js';

describe('randomSoup', () => {
  it('gives the same cells for the same seed and different cells for another', () => {
    const a = randomSoup({ height: 20, width: 30, density: 0.3, seed: 7 });
    const b = randomSoup({ height: 20, width: 30, density: 0.3, seed: 7 });
    const c = randomSoup({ height: 20, width: 30, density: 0.3, seed: 8 });
    expect(a.liveCells).toEqual(b.liveCells);
    expect(a.liveCells).not.toEqual(c.liveCells);
    expect(a).toMatchObject({ height: 20, width: 30 });
  });

  it('fills about density of the cells, all inside the box', () => {
    const soup = randomSoup({ height: 100, width: 100, density: 0.25, seed: 1 });
    expect(soup.liveCells.length).toBeGreaterThan(2200);
    expect(soup.liveCells.length).toBeLessThan(2800);
    for (const [x, y] of soup.liveCells) {
      expect(x >= 0 && x < 100 && y >= 0 && y < 100).toBe(true);
    }
    expect(randomSoup({ height: 5, width: 5, density: 0, seed: 1 }).liveCells).toEqual([]);
    expect(randomSoup({ height: 5, width: 5, density: 1, seed: 1 }).liveCells).toHaveLength(25);
  });

  it('refuses a density outside 0..1 and an empty size', () => {
    expect(() => randomSoup({ height: 5, width: 5, density: 1.5, seed: 1 })).toThrow(/density/);
    expect(() => randomSoup({ height: 0, width: 5, density: 0.5, seed: 1 })).toThrow(/size/);
  });
});
