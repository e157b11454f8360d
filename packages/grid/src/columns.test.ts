import { AsyncPool, InlineExecutor } from '@fanout/executors';
import { describe, expect, it } from 'vitest';
import { getBuiltinPattern } from './formats/builtins.js';
import { simulate } from './engines/simulate.js';
import { formatColumns } from './columns.js';
import type { Grid } from './grid.js';
import { placePattern } from './place.js';

// The seed's first five generations of its 5x9 example, byte for byte (note the trailing
// spaces on the header line).
const SEED_COLUMNS = [
  '    0     |     1     |     2     |     3     |     4    ',
  '---*----- | --------- | --------- | --------- | ---------',
  '----*---- | --*-*---- | ----*---- | ---*----- | ----*----',
  '--***---- | ---**---- | --*-*---- | ----**--- | -----*---',
  '--------- | ---*----- | ---**---- | ---**---- | ---***---',
  '--------- | --------- | --------- | --------- | ---------',
].join('\n');

async function seedGenerations(step: (grid: Grid) => Promise<Grid>): Promise<Grid[]> {
  let grid = placePattern(getBuiltinPattern('seed-demo'), { height: 5, width: 9 });
  const generations: Grid[] = [];
  for (let i = 0; i < 5; i++) {
    generations.push(grid);
    grid = await step(grid);
  }
  return generations;
}

describe('formatColumns', () => {
  it('prints the seed demo exactly like the seed (unbounded gather)', async () => {
    expect(formatColumns(await seedGenerations((g) => simulate(g)))).toBe(SEED_COLUMNS);
  });

  it('prints the same through InlineExecutor and a 10-task AsyncPool with async logic', async () => {
    const inline = new InlineExecutor();
    await using pool = new AsyncPool({ maxConcurrency: 10 });
    const logic = async (alive: boolean, n: number): Promise<boolean> => {
      await Promise.resolve();
      return n === 3 || (alive && n === 2);
    };
    expect(formatColumns(await seedGenerations((g) => simulate(g, { executor: inline })))).toBe(
      SEED_COLUMNS,
    );
    expect(
      formatColumns(await seedGenerations((g) => simulate(g, { executor: pool, logic }))),
    ).toBe(SEED_COLUMNS);
    await inline.close();
  });

  it('accepts strings, prints nothing for no generations, pads short columns', () => {
    expect(formatColumns([])).toBe('');
    expect(formatColumns(['*-\n-*', '***'])).toBe(' 0  |  1 \n*- | ***\n-* |    ');
    expect(formatColumns(['-'])).toBe('0\n-');
  });

  it('prints the labels given instead of the indexes', () => {
    expect(formatColumns(['*-\n-*', '***'], { labels: [0, 4n] })).toBe(
      ' 0  |  4 \n*- | ***\n-* |    ',
    );
  });
});
