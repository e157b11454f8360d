import type { LifeRule } from '../../rule.js';

/**
 * The bottom of the quadtree. A 4×4 block of cells is a 16-bit number, bit `4y + x` for the
 * cell in row y, column x; an 8×8 node (level 3) holds four of them. A rule becomes a
 * 65,536-entry table from a 4×4 block to the 2×2 block at its centre one generation later,
 * so the smallest step is a handful of table lookups.
 *
 * B0 rules (a dead cell with no live neighbours is born) would fill the infinite plane.
 * They are run the way Golly runs them:
 * - B0 with S8: the complement rule `x -> NOT f(NOT x)` every generation, so what is
 *   shown is the complement of the true world (which is a sea of live cells);
 * - B0 without S8: two rules taking turns, `NOT f(x)` from even generations and
 *   `f(NOT x)` from odd ones; even generations show the true world, odd ones its complement.
 */
export interface LeafRules {
  /** Table for steps that start at an even generation. */
  readonly even: Uint8Array;
  /** Table for steps that start at an odd generation (the same table unless alternating). */
  readonly odd: Uint8Array;
  /** True when the rule is B0 without S8: step sizes of 1 depend on the parity. */
  readonly alternates: boolean;
}

/** 512-entry map from a 3×3 neighbourhood (bit 4 = the cell itself) to its next state. */
function neighbourhoodMap(rule: LifeRule): Uint8Array {
  const birth = new Set(rule.birth);
  const survival = new Set(rule.survival);
  const map = new Uint8Array(512);
  for (let i = 0; i < 512; i++) {
    let count = 0;
    for (let b = 0; b < 9; b++) if (b !== 4 && (i >> b) & 1) count++;
    const alive = (i >> 4) & 1;
    map[i] = (alive ? survival.has(count) : birth.has(count)) ? 1 : 0;
  }
  return map;
}

/** Expand a 3×3 map into the 4×4 → centre 2×2 table. */
function blockTable(map: Uint8Array): Uint8Array {
  const table = new Uint8Array(65536);
  for (let block = 0; block < 65536; block++) {
    let out = 0;
    for (let cy = 1; cy <= 2; cy++) {
      for (let cx = 1; cx <= 2; cx++) {
        let index = 0;
        let bit = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            if ((block >> ((cy + dy) * 4 + cx + dx)) & 1) index |= 1 << bit;
            bit++;
          }
        }
        if (map[index]) out |= 1 << ((cy - 1) * 2 + (cx - 1));
      }
    }
    table[block] = out;
  }
  return table;
}

const cache = new Map<string, LeafRules>();

/** The tables for `rule`, with Golly's treatment of B0 (built once per rule). */
export function leafRules(rule: LifeRule): LeafRules {
  const key = `${rule.birth.join('')}/${rule.survival.join('')}`;
  let rules = cache.get(key);
  if (rules === undefined) {
    rules = buildLeafRules(rule);
    cache.set(key, rules);
  }
  return rules;
}

function buildLeafRules(rule: LifeRule): LeafRules {
  const f = neighbourhoodMap(rule);
  if (f[0] === 0) {
    const table = blockTable(f);
    return { even: table, odd: table, alternates: false };
  }
  const complement = new Uint8Array(512);
  const notF = new Uint8Array(512);
  const fOfNot = new Uint8Array(512);
  for (let i = 0; i < 512; i++) {
    complement[i] = 1 - f[511 - i]!;
    notF[i] = 1 - f[i]!;
    fOfNot[i] = f[511 - i]!;
  }
  if (f[511] === 1) {
    const table = blockTable(complement);
    return { even: table, odd: table, alternates: false };
  }
  return { even: blockTable(notF), odd: blockTable(fOfNot), alternates: true };
}

const block = (rows: Int32Array, r: number, c: number): number =>
  ((rows[r]! >> c) & 15) |
  (((rows[r + 1]! >> c) & 15) << 4) |
  (((rows[r + 2]! >> c) & 15) << 8) |
  (((rows[r + 3]! >> c) & 15) << 12);

/** Put a 2×2 result (bits 0..3) at column x, row y of a 4×4 block. */
const place = (v: number, x: number, y: number): number =>
  ((v & 3) << (y * 4 + x)) | (((v >> 2) & 3) << ((y + 1) * 4 + x));

const rows8 = new Int32Array(8);
const rows6 = new Int32Array(6);

function loadRows(nw: number, ne: number, sw: number, se: number): void {
  for (let y = 0; y < 4; y++) {
    rows8[y] = ((nw >> (4 * y)) & 15) | (((ne >> (4 * y)) & 15) << 4);
    rows8[y + 4] = ((sw >> (4 * y)) & 15) | (((se >> (4 * y)) & 15) << 4);
  }
}

/** The centre 4×4 of an 8×8 block one generation later. */
export function leafStep1(
  table: Uint8Array,
  nw: number,
  ne: number,
  sw: number,
  se: number,
): number {
  loadRows(nw, ne, sw, se);
  return (
    place(table[block(rows8, 1, 1)]!, 0, 0) |
    place(table[block(rows8, 1, 3)]!, 2, 0) |
    place(table[block(rows8, 3, 1)]!, 0, 2) |
    place(table[block(rows8, 3, 3)]!, 2, 2)
  );
}

/** The centre 4×4 of an 8×8 block two generations later (`first`, then `second` table). */
export function leafStep2(
  first: Uint8Array,
  second: Uint8Array,
  nw: number,
  ne: number,
  sw: number,
  se: number,
): number {
  loadRows(nw, ne, sw, se);
  rows6.fill(0);
  for (let r = 0; r <= 4; r += 2) {
    for (let c = 0; c <= 4; c += 2) {
      const v = first[block(rows8, r, c)]!;
      rows6[r] = rows6[r]! | ((v & 3) << c);
      rows6[r + 1] = rows6[r + 1]! | (((v >> 2) & 3) << c);
    }
  }
  return (
    place(second[block(rows6, 0, 0)]!, 0, 0) |
    place(second[block(rows6, 0, 2)]!, 2, 0) |
    place(second[block(rows6, 2, 0)]!, 0, 2) |
    place(second[block(rows6, 2, 2)]!, 2, 2)
  );
}

/** Live cells in each 16-bit block. */
export const BLOCK_POPULATION: Uint8Array = (() => {
  const table = new Uint8Array(65536);
  for (let i = 1; i < 65536; i++) table[i] = (i & 1) + table[i >> 1]!;
  return table;
})();
