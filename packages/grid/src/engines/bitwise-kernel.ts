/**
 * The bit-parallel Life kernel shared by the `bitwise` and `workers` engines.
 *
 * Layout: `height + 2` rows of `wordsPerRow` 32-bit words; world row `y` is buffer row
 * `y + 1`, cell `x` is bit `x & 31` of word `x >> 5`. Buffer rows 0 and `height + 1` are
 * ghost rows: on a torus they mirror the last and first world rows (the kernel writes them
 * together with those rows), on a plane they stay zero. Padding bits past `width` in the
 * last word of a row are always zero.
 */

/** Geometry and rule of a packed world. */
export interface PackedShape {
  readonly height: number;
  readonly width: number;
  readonly wordsPerRow: number;
  readonly torus: boolean;
  /** `ruleMask(rule)`: bit n = birth at n, bit 9 + n = survival at n. */
  readonly rule: number;
}

/** Words per row for a width. */
export function wordsPerRowFor(width: number): number {
  return (width + 31) >>> 5;
}

/** Words in a packed buffer for a shape (including the two ghost rows). */
export function bufferWords(height: number, width: number): number {
  return (height + 2) * wordsPerRowFor(width);
}

const CONWAY_MASK = (1 << 3) | (1 << (9 + 2)) | (1 << (9 + 3));

/**
 * The rule as terms over the 3×3 total (neighbours + the cell itself, 0–9): each term is
 * `total | (cond << 4)`, cond 1 = dead cells only, 2 = live cells only, 3 = both.
 */
function ruleTerms(rule: number): Int32Array {
  // Cached so stepping allocates nothing per generation.
  const cached = termCache.get(rule);
  if (cached !== undefined) return cached;
  const terms: number[] = [];
  for (let total = 0; total <= 9; total++) {
    const dead = total <= 8 && ((rule >>> total) & 1) === 1;
    const live = total >= 1 && ((rule >>> (9 + total - 1)) & 1) === 1;
    const cond = (dead ? 1 : 0) | (live ? 2 : 0);
    if (cond !== 0) terms.push(total | (cond << 4));
  }
  const table = Int32Array.from(terms);
  termCache.set(rule, table);
  return table;
}

const termCache = new Map<number, Int32Array>();

/**
 * Compute rows `[yStart, yEnd)` of the next generation from `src` into `dst`, with
 * bit-sliced adders over the 3×3 neighbourhood of 32 cells at a time. Rows are processed a
 * column of words at a time so the horizontal sums of each row are computed once and kept
 * in registers while walking down.
 */
export function stepRows(
  src: Uint32Array,
  dst: Uint32Array,
  shape: PackedShape,
  yStart: number,
  yEnd: number,
): void {
  const { height, width, wordsPerRow: wpr, torus, rule } = shape;
  const conway = rule === CONWAY_MASK;
  const terms = ruleTerms(rule);
  const termCount = terms.length;
  const lastBit = (width - 1) & 31;
  const lastMask = lastBit === 31 ? -1 : (1 << (lastBit + 1)) - 1;
  const ghostBottom = (height + 1) * wpr;
  for (let j = 0; j < wpr; j++) {
    const first = j === 0;
    const last = j === wpr - 1;
    const jw = first ? wpr - 1 : j - 1;
    const westShift = first ? lastBit : 31;
    const westOn = !first || torus ? 1 : 0;
    const je = last ? 0 : j + 1;
    const eastShift = last ? lastBit : 31;
    const eastOn = !last || torus ? 1 : 0;
    const keep = last ? lastMask : -1;

    // Horizontal 3-sums (2 bits: s0 + 2*s1) of the row above and of the row itself.
    let base = yStart * wpr;
    const c = src[base + j]! | 0;
    let w = (c << 1) | ((src[base + jw]! >>> westShift) & westOn);
    let e = (c >>> 1) | ((src[base + je]! & eastOn) << eastShift);
    let x = w ^ e;
    let t0 = x ^ c;
    let t1 = (w & e) | (x & c);
    base += wpr;
    let mc = src[base + j]! | 0;
    w = (mc << 1) | ((src[base + jw]! >>> westShift) & westOn);
    e = (mc >>> 1) | ((src[base + je]! & eastOn) << eastShift);
    x = w ^ e;
    let m0 = x ^ mc;
    let m1 = (w & e) | (x & mc);

    for (let y = yStart; y < yEnd; y++) {
      base += wpr;
      const bc = src[base + j]! | 0;
      w = (bc << 1) | ((src[base + jw]! >>> westShift) & westOn);
      e = (bc >>> 1) | ((src[base + je]! & eastOn) << eastShift);
      x = w ^ e;
      const b0 = x ^ bc;
      const b1 = (w & e) | (x & bc);

      // total = (t0 + m0 + b0) + 2 * (t1 + m1 + b1), as bits T0..T3.
      const p = t0 ^ m0;
      const T0 = p ^ b0;
      const k1 = (t0 & m0) | (p & b0);
      const q = t1 ^ m1;
      const u = q ^ b1;
      const k2 = (t1 & m1) | (q & b1);
      const T1 = u ^ k1;
      const k3 = u & k1;
      const T2 = k2 ^ k3;
      const T3 = k2 & k3;

      let next: number;
      if (conway) {
        // alive next: total 3, or total 4 and alive now.
        const low = T0 & T1 & ~(T2 | T3);
        const four = T2 & ~(T0 | T1 | T3);
        next = low | (four & mc);
      } else {
        next = 0;
        for (let i = 0; i < termCount; i++) {
          const term = terms[i]!;
          const eq =
            (term & 1 ? T0 : ~T0) &
            (term & 2 ? T1 : ~T1) &
            (term & 4 ? T2 : ~T2) &
            (term & 8 ? T3 : ~T3);
          const cond = term >>> 4;
          next |= cond === 3 ? eq : cond === 1 ? eq & ~mc : eq & mc;
        }
      }
      dst[(y + 1) * wpr + j] = next & keep;
      t0 = m0;
      t1 = m1;
      m0 = b0;
      m1 = b1;
      mc = bc;
    }
    // Torus: keep the ghost rows in step with the first and last world rows.
    if (torus) {
      if (yStart === 0) dst[ghostBottom + j] = dst[wpr + j]!;
      if (yEnd === height) dst[j] = dst[height * wpr + j]!;
    }
  }
}

/** Set (or clear) one cell of a packed buffer, keeping the torus ghost rows in step. */
export function setPacked(
  buffer: Uint32Array,
  shape: PackedShape,
  y: number,
  x: number,
  alive: boolean,
): void {
  const { wordsPerRow: wpr, height, torus } = shape;
  const bit = 1 << (x & 31);
  const write = (row: number): void => {
    const i = row * wpr + (x >>> 5);
    buffer[i] = alive ? buffer[i]! | bit : buffer[i]! & ~bit;
  };
  write(y + 1);
  // The ghost rows mirror the last and first world rows (see the layout above).
  if (torus && y === 0) write(height + 1);
  if (torus && y === height - 1) write(0);
}

/** Whether a cell of a packed buffer is alive (`0 <= y < height`, `0 <= x < width`). */
export function getPacked(buffer: Uint32Array, shape: PackedShape, y: number, x: number): boolean {
  return ((buffer[(y + 1) * shape.wordsPerRow + (x >>> 5)]! >>> (x & 31)) & 1) === 1;
}

/** Live cells of world rows `[yStart, yEnd)`. */
export function countPacked(
  buffer: Uint32Array,
  shape: PackedShape,
  yStart = 0,
  yEnd = shape.height,
): number {
  let n = 0;
  const end = (yEnd + 1) * shape.wordsPerRow;
  for (let i = (yStart + 1) * shape.wordsPerRow; i < end; i++) {
    let v = buffer[i]! | 0;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
  }
  return n;
}
