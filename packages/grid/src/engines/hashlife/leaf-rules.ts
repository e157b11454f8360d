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

/** The 4×4 block of rows a..d (8 cells each, bit x = column x) starting at column `c`. */
const block = (a: number, b: number, c: number, d: number, col: number): number =>
  ((a >> col) & 15) |
  (((b >> col) & 15) << 4) |
  (((c >> col) & 15) << 8) |
  (((d >> col) & 15) << 12);

/** Put a 2×2 result (bits 0..3) at column x, row y of a 4×4 block. */
const place = (v: number, x: number, y: number): number =>
  ((v & 3) << (y * 4 + x)) | (((v >> 2) & 3) << ((y + 1) * 4 + x));

/** Row y (0..3) of an 8-cell-wide pair of 4×4 blocks. */
const row = (left: number, right: number, y: number): number =>
  ((left >> (4 * y)) & 15) | (((right >> (4 * y)) & 15) << 4);

/** The centre 4×4 of an 8×8 block one generation later. */
export function leafStep1(
  table: Uint8Array,
  nw: number,
  ne: number,
  sw: number,
  se: number,
): number {
  const r1 = row(nw, ne, 1);
  const r2 = row(nw, ne, 2);
  const r3 = row(nw, ne, 3);
  const r4 = row(sw, se, 0);
  const r5 = row(sw, se, 1);
  const r6 = row(sw, se, 2);
  return (
    place(table[block(r1, r2, r3, r4, 1)]!, 0, 0) |
    place(table[block(r1, r2, r3, r4, 3)]!, 2, 0) |
    place(table[block(r3, r4, r5, r6, 1)]!, 0, 2) |
    place(table[block(r3, r4, r5, r6, 3)]!, 2, 2)
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
  const r0 = row(nw, ne, 0);
  const r1 = row(nw, ne, 1);
  const r2 = row(nw, ne, 2);
  const r3 = row(nw, ne, 3);
  const r4 = row(sw, se, 0);
  const r5 = row(sw, se, 1);
  const r6 = row(sw, se, 2);
  const r7 = row(sw, se, 3);
  // Nine 2×2 results one generation on: the 6×6 centre, as rows s0..s5 of 6 cells.
  const a0 = first[block(r0, r1, r2, r3, 0)]!;
  const a1 = first[block(r0, r1, r2, r3, 2)]!;
  const a2 = first[block(r0, r1, r2, r3, 4)]!;
  const b0 = first[block(r2, r3, r4, r5, 0)]!;
  const b1 = first[block(r2, r3, r4, r5, 2)]!;
  const b2 = first[block(r2, r3, r4, r5, 4)]!;
  const c0 = first[block(r4, r5, r6, r7, 0)]!;
  const c1 = first[block(r4, r5, r6, r7, 2)]!;
  const c2 = first[block(r4, r5, r6, r7, 4)]!;
  const s0 = (a0 & 3) | ((a1 & 3) << 2) | ((a2 & 3) << 4);
  const s1 = (a0 >> 2) | ((a1 >> 2) << 2) | ((a2 >> 2) << 4);
  const s2 = (b0 & 3) | ((b1 & 3) << 2) | ((b2 & 3) << 4);
  const s3 = (b0 >> 2) | ((b1 >> 2) << 2) | ((b2 >> 2) << 4);
  const s4 = (c0 & 3) | ((c1 & 3) << 2) | ((c2 & 3) << 4);
  const s5 = (c0 >> 2) | ((c1 >> 2) << 2) | ((c2 >> 2) << 4);
  return (
    place(second[block(s0, s1, s2, s3, 0)]!, 0, 0) |
    place(second[block(s0, s1, s2, s3, 2)]!, 2, 0) |
    place(second[block(s2, s3, s4, s5, 0)]!, 0, 2) |
    place(second[block(s2, s3, s4, s5, 2)]!, 2, 2)
  );
}

/** Live cells in each 16-bit block. */
export const BLOCK_POPULATION: Uint8Array = (() => {
  const table = new Uint8Array(65536);
  for (let i = 1; i < 65536; i++) table[i] = (i & 1) + table[i >> 1]!;
  return table;
})();
