// The HashLife half of the bench alone: `tsx bench/run-hashlife.ts` (under the heavy lock).
import { createBitwiseEngine } from '../src/engines/bitwise-engine.js';
import { Grid } from '../src/grid.js';
import { hashlifeBench } from './hashlife.js';

const SIZE = 2048;
const grid = new Grid(SIZE, SIZE);
let s = 7;
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    if ((s >>> 8) % 10 < 3) grid.set(y, x, true);
  }
}
const rows = await hashlifeBench({
  grid,
  generations: 1000,
  runners: [
    {
      label: 'bitwise',
      run: async () => {
        const engine = createBitwiseEngine(grid);
        const start = performance.now();
        engine.stepSync(1000);
        return { ms: performance.now() - start, population: engine.population() };
      },
    },
  ],
});
for (const row of rows) console.log([row.name, row.ours, row.baseline, row.ratio].join(' | '));
