// Deterministic random worlds for the tests: a tiny LCG, so a failing case can be rebuilt
// from its seed. Takes the grid to fill, so tests of the built package (which construct a
// `Grid` from dist) and of the sources share it.

/** What `fillSoup` needs of a grid. */
interface Fillable {
  readonly height: number;
  readonly width: number;
  set(y: number, x: number, alive: boolean): void;
}

/** Sets about `alive` of every `outOf` cells of `grid` alive, from `seed`; returns `grid`. */
export function fillSoup<G extends Fillable>(grid: G, seed: number, alive = 2, outOf = 5): G {
  let s = seed;
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) {
      s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
      if ((s >>> 8) % outOf < alive) grid.set(y, x, true);
    }
  }
  return grid;
}
