/**
 * Two colours as a lookup table from any 8 cells (one byte of a packed row) to their 8
 * pixels, so a renderer writes a byte's pixels with 8 table reads instead of testing 8
 * bits (a random soup makes those tests mispredict half the time). Built once; 8 KiB.
 */
export class Palette {
  readonly alive: number;
  readonly dead: number;
  /** Pixel `k` of byte value `v` is `table[v * 8 + k]`. */
  readonly table: Uint32Array;

  constructor(alive: number, dead: number) {
    this.alive = alive >>> 0;
    this.dead = dead >>> 0;
    this.table = new Uint32Array(256 * 8);
    for (let value = 0; value < 256; value++) {
      for (let k = 0; k < 8; k++) {
        this.table[value * 8 + k] = (value >>> k) & 1 ? this.alive : this.dead;
      }
    }
  }
}

/**
 * Paints `height` rows of packed cells (bit `x & 31` of word `x >> 5`, rows `wordsPerRow`
 * words apart starting at `firstWord`) into `pixels` (row-major, `width` per row), and
 * returns how many cells are alive. Allocates nothing.
 */
export function paintPacked(
  words: Uint32Array,
  firstWord: number,
  wordsPerRow: number,
  width: number,
  height: number,
  pixels: Uint32Array,
  palette: Palette,
): number {
  const table = palette.table;
  const dead = palette.dead;
  const fullWords = width >>> 5;
  const tail = width & 31;
  let population = 0;
  let p = 0;
  for (let y = 0; y < height; y++) {
    const row = firstWord + y * wordsPerRow;
    for (let w = 0; w < fullWords; w++) {
      let bits = words[row + w]!;
      if (bits === 0) {
        pixels.fill(dead, p, p + 32);
        p += 32;
        continue;
      }
      population += popcount(bits);
      for (let q = 0; q < 4; q++) {
        const o = (bits & 0xff) << 3;
        bits >>>= 8;
        pixels[p] = table[o]!;
        pixels[p + 1] = table[o + 1]!;
        pixels[p + 2] = table[o + 2]!;
        pixels[p + 3] = table[o + 3]!;
        pixels[p + 4] = table[o + 4]!;
        pixels[p + 5] = table[o + 5]!;
        pixels[p + 6] = table[o + 6]!;
        pixels[p + 7] = table[o + 7]!;
        p += 8;
      }
    }
    if (tail !== 0) {
      // The last, partial word: bits past the width are never drawn nor counted.
      const bits = (words[row + fullWords] ?? 0) & ((1 << tail) - 1);
      population += popcount(bits);
      for (let b = 0; b < tail; b++) pixels[p++] = (bits >>> b) & 1 ? palette.alive : dead;
    }
  }
  return population;
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
