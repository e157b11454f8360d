import {
  bufferWords,
  countPacked,
  getPacked,
  type PackedShape,
  wordsPerRowFor,
} from './bitwise-kernel.js';
import { cellBytes, Grid, type XY } from '../grid.js';
import { type LifeRule, ruleMask } from '../rule.js';

/** The packed shape of a grid under a rule. */
export function shapeOf(grid: Grid, rule: LifeRule): PackedShape {
  return {
    height: grid.height,
    width: grid.width,
    wordsPerRow: wordsPerRowFor(grid.width),
    torus: grid.topology === 'torus',
    rule: ruleMask(rule),
  };
}

/** Pack a grid into `buffer` (which must hold `bufferWords` words, zeroed). */
export function packInto(grid: Grid, shape: PackedShape, buffer: Uint32Array): void {
  // Straight from the grid's bytes: packing a large world allocates nothing.
  const cells = cellBytes(grid);
  const { height, width, wordsPerRow: wpr, torus } = shape;
  for (let y = 0; y < height; y++) {
    const row = (y + 1) * wpr;
    for (let x = 0; x < width; x++) {
      if (cells[y * width + x] === 1)
        buffer[row + (x >>> 5)] = buffer[row + (x >>> 5)]! | (1 << (x & 31));
    }
  }
  if (torus) {
    buffer.copyWithin(0, height * wpr, (height + 1) * wpr);
    buffer.copyWithin((height + 1) * wpr, wpr, 2 * wpr);
  }
}

/** A new zeroed buffer for a shape. */
export function newBuffer(shape: PackedShape): Uint32Array {
  return new Uint32Array(bufferWords(shape.height, shape.width));
}

/** Unpack a buffer into a new grid. */
export function unpack(buffer: Uint32Array, shape: PackedShape): Grid {
  const grid = new Grid(shape.height, shape.width, { topology: shape.torus ? 'torus' : 'plane' });
  for (const [x, y] of packedCells(buffer, shape)) grid.set(y, x, true);
  return grid;
}

/** Live cells of a buffer as `[x, y]`, row-major. */
export function packedCells(buffer: Uint32Array, shape: PackedShape): XY[] {
  const out: XY[] = [];
  const wpr = shape.wordsPerRow;
  for (let y = 0; y < shape.height; y++) {
    for (let j = 0; j < wpr; j++) {
      let word = buffer[(y + 1) * wpr + j]! | 0;
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        out.push([j * 32 + bit, y]);
        word &= word - 1;
      }
    }
  }
  return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

export { countPacked, getPacked };
