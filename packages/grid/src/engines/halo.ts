import { cellBytes, type Grid } from '../grid.js';

/**
 * A copy of a grid with a one-cell border (the "halo"), `(height + 2) × (width + 2)` bytes:
 * on a torus the border repeats the opposite edges, on a plane it stays dead. Every cell
 * then has its 8 neighbours at the same offsets, so counting them needs no wrapping or
 * bounds checks.
 */
export function withHalo(grid: Grid): Uint8Array {
  const { height: h, width: w } = grid;
  const stride = w + 2;
  const cells = cellBytes(grid);
  const halo = new Uint8Array((h + 2) * stride);
  for (let y = 0; y < h; y++) {
    halo.set(cells.subarray(y * w, y * w + w), (y + 1) * stride + 1);
  }
  if (grid.topology === 'torus') {
    for (let y = 1; y <= h; y++) {
      const row = y * stride;
      halo[row] = halo[row + w] as number;
      halo[row + w + 1] = halo[row + 1] as number;
    }
    // Whole rows, corners included (they were just filled from the wrapped columns).
    halo.copyWithin(0, h * stride, h * stride + stride);
    halo.copyWithin((h + 1) * stride, stride, 2 * stride);
  }
  return halo;
}

/** Live neighbours of the cell at halo index `at` (row `stride` wide). */
export function haloNeighbors(halo: Uint8Array, stride: number, at: number): number {
  const up = at - stride;
  const down = at + stride;
  return (
    (halo[up - 1] as number) +
    (halo[up] as number) +
    (halo[up + 1] as number) +
    (halo[at - 1] as number) +
    (halo[at + 1] as number) +
    (halo[down - 1] as number) +
    (halo[down] as number) +
    (halo[down + 1] as number)
  );
}
