import { seededRandom } from '@fanout/test-kit';
import { describe, expect, it } from 'vitest';
import { createBitwiseEngine } from '../bitwise-engine.js';
import { getBuiltinPattern } from '../../formats/builtins.js';
import { Grid, type XY } from '../../grid.js';
import { type LifeRule, parseRule } from '../../rule.js';
import { createUnboundedEngine } from '../unbounded-engine.js';
import { createHashLifeEngine } from './hashlife-engine.js';

// HashLife against the engines that step one generation at a time: the `unbounded` engine
// everywhere, and the `bitwise` engine on a plane for as long as the pattern stays clear
// of the plane's edge (after that the two worlds differ by design).

const key = (cells: readonly XY[]): string => cells.map(([x, y]) => `${x},${y}`).join(' ');

function soupCells(seed: number, size: number, density: number): XY[] {
  const random = seededRandom(seed);
  const cells: XY[] = [];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) if (random() < density) cells.push([x, y]);
  return cells;
}

// [name, rule, soup density]: densities at which the soups live for a long time.
const rules: [string, LifeRule, number][] = [
  ['Life B3/S23', parseRule('B3/S23'), 0.35],
  ['HighLife B36/S23', parseRule('B36/S23'), 0.35],
  ['Day & Night B3678/S34678', parseRule('B3678/S34678'), 0.55],
  ['Morley B368/S245', parseRule('B368/S245'), 0.5],
  ['2x2 B36/S125', parseRule('B36/S125'), 0.35],
];

const PLANE = 160;
const OFFSET = 64;

describe('hashlife agrees with the unbounded and bitwise engines, generation by generation', () => {
  it.each(rules)('random soups for 1000 generations (%s)', async (_, rule, density) => {
    let lastGeneration = 0;
    for (const seed of [1, 2]) {
      const cells = soupCells(seed * 7919, 24, density).map(
        ([x, y]): XY => [x + OFFSET, y + OFFSET],
      );
      await using hashlife = createHashLifeEngine(cells, { rule });
      await using unbounded = createUnboundedEngine(cells, { rule });
      await using bitwise = createBitwiseEngine(
        Grid.fromCells(PLANE, PLANE, cells, { topology: 'plane' }),
        { rule },
      );
      let bitwiseValid = true;
      for (let generation = 0; generation <= 1000; generation++) {
        const expected = key(unbounded.liveCells());
        const actual = key(hashlife.liveCells());
        if (actual !== expected) {
          throw new Error(`seed ${seed}: differs from unbounded at generation ${generation}`);
        }
        expect(hashlife.exactGeneration).toBe(BigInt(generation));
        expect(hashlife.population()).toBe(unbounded.population());
        const b = unbounded.bounds();
        bitwiseValid &&=
          b === undefined ||
          (b.x > 1 && b.y > 1 && b.x + b.width < PLANE - 1 && b.y + b.height < PLANE - 1);
        if (bitwiseValid && key(bitwise.liveCells()) !== expected) {
          throw new Error(`seed ${seed}: differs from bitwise at generation ${generation}`);
        }
        lastGeneration = Math.max(lastGeneration, generation);
        if (generation === 1000 || hashlife.population() === 0) break;
        await Promise.all([hashlife.step(), unbounded.step(), bitwise.step()]);
      }
    }
    // At least one soup lived the whole run, so the comparison covered 1000 generations.
    expect(lastGeneration).toBe(1000);
  });

  it.each(['gosper-gun', 'acorn', 'r-pentomino', 'glider'])(
    'known pattern %s for 1000 generations',
    async (name) => {
      const pattern = getBuiltinPattern(name);
      await using hashlife = createHashLifeEngine(pattern);
      await using unbounded = createUnboundedEngine(pattern);
      for (let generation = 0; generation <= 1000; generation++) {
        if (key(hashlife.liveCells()) !== key(unbounded.liveCells())) {
          throw new Error(`${name} differs at generation ${generation}`);
        }
        if (generation < 1000) await Promise.all([hashlife.step(), unbounded.step()]);
      }
    },
  );

  it('random sequences of step sizes (powers of two and not) agree at every stop', async () => {
    for (const seed of [11, 12, 13, 14]) {
      const random = seededRandom(seed);
      const rule = rules[seed % rules.length]![1];
      const cells = soupCells(seed, 16, 0.4);
      await using hashlife = createHashLifeEngine(cells, { rule });
      await using unbounded = createUnboundedEngine(cells, { rule });
      let total = 0;
      while (total < 600) {
        const size = random() < 0.4 ? 2 ** Math.floor(random() * 7) : Math.floor(random() * 90);
        await Promise.all([hashlife.step(size), unbounded.step(size)]);
        total += size;
        expect(hashlife.generation).toBe(total);
        if (key(hashlife.liveCells()) !== key(unbounded.liveCells())) {
          throw new Error(`seed ${seed}: differs after ${total} generations (last step ${size})`);
        }
      }
    }
  });

  it('a grid keeps its coordinates; window and bounds match the unbounded engine', async () => {
    const grid = Grid.fromCells(40, 40, soupCells(5, 40, 0.3), { topology: 'plane' });
    await using hashlife = createHashLifeEngine(grid);
    await using unbounded = createUnboundedEngine(grid);
    await Promise.all([hashlife.step(77), unbounded.step(77)]);
    expect(hashlife.bounds()).toEqual(unbounded.bounds());
    expect(hashlife.window(-10, 5, 30, 20).equals(unbounded.window(-10, 5, 30, 20))).toBe(true);
    expect(hashlife.snapshot().equals(unbounded.snapshot())).toBe(true);
  });
});
