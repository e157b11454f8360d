import type { XY } from '../../grid.js';
import type { LifeRule } from '../../rule.js';
import { Evolver } from './evolver.js';
import { BLOCK_POPULATION, leafRules } from './leaf-rules.js';
import { NodeStore } from './node-store.js';

/** A sparse map from integer (x, y) to a number: rows of columns. */
class Sparse {
  readonly #rows = new Map<number, Map<number, number>>();
  size = 0;

  get(x: number, y: number): number | undefined {
    return this.#rows.get(y)?.get(x);
  }

  set(x: number, y: number, value: number): void {
    let row = this.#rows.get(y);
    if (row === undefined) {
      row = new Map();
      this.#rows.set(y, row);
    }
    if (!row.has(x)) this.size++;
    row.set(x, value);
  }

  *entries(): IterableIterator<[number, number, number]> {
    for (const [y, row] of this.#rows) for (const [x, value] of row) yield [x, y, value];
  }
}

/**
 * One HashLife world: the node store, the root, and the generation. The root of level L
 * always covers x and y in [-2^(L-1), 2^(L-1)), centred on the origin (as in Golly's
 * macrocell files), so no coordinates need tracking as it grows and shrinks.
 */
export class Universe {
  readonly store: NodeStore;
  readonly evolver: Evolver;
  readonly alternates: boolean;
  root: number;
  generation = 0n;
  /** Nodes held while a root is being built. */
  readonly #held: number[] = [];

  constructor(rule: LifeRule, maxNodes: number) {
    const rules = leafRules(rule);
    this.alternates = rules.alternates;
    this.store = new NodeStore(maxNodes, (mark) => {
      mark(this.root);
      for (const node of this.#held) mark(node);
      this.evolver.visitRoots(mark);
    });
    this.evolver = new Evolver(this.store, rules);
    this.root = this.store.empty[3]!;
  }

  get level(): number {
    return this.store.d[this.root + 6]!;
  }

  /** Keep `node` alive until `release` (for values built in several allocations). */
  hold(node: number): number {
    this.#held.push(node);
    return node;
  }

  release(): void {
    this.#held.length = 0;
  }

  /** Replace the world by these cells (any safe-integer coordinates). */
  setCells(cells: Iterable<XY>): void {
    const leaves = new Sparse();
    for (const [x, y] of cells) {
      if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y)) {
        throw new RangeError(`cell (${x}, ${y}) must have safe-integer coordinates`);
      }
      const lx = Math.floor(x / 4);
      const ly = Math.floor(y / 4);
      leaves.set(lx, ly, (leaves.get(lx, ly) ?? 0) | (1 << ((y - ly * 4) * 4 + (x - lx * 4))));
    }
    this.setBlocks(leaves.entries());
  }

  /**
   * Replace the world by 4×4 blocks `[bx, by, bits]` (block (bx, by) covers cells
   * x in [4bx, 4bx + 4), y likewise), building the tree level by level.
   */
  setBlocks(blocks: Iterable<readonly [number, number, number]>): void {
    const s = this.store;
    let level = 2;
    let current = new Sparse();
    for (const [bx, by, bits] of blocks) {
      if (bits !== 0) current.set(bx, by, (current.get(bx, by) ?? 0) | bits);
    }
    this.release();
    if (current.size === 0) {
      this.root = s.emptyAt(3);
      return;
    }
    // Merge 2×2 groups until the nodes are the four quadrants around the origin.
    const quadrants = (): boolean => {
      for (const [x, y] of current.entries()) if (x < -1 || x > 0 || y < -1 || y > 0) return false;
      return true;
    };
    while (level < 3 || !quadrants()) {
      const empty = level === 2 ? 0 : s.emptyAt(level);
      const parents = new Map<number, Map<number, number[]>>();
      for (const [x, y, node] of current.entries()) {
        const px = Math.floor(x / 2);
        const py = Math.floor(y / 2);
        let row = parents.get(py);
        if (row === undefined) {
          row = new Map();
          parents.set(py, row);
        }
        let kids = row.get(px);
        if (kids === undefined) {
          kids = [empty, empty, empty, empty];
          row.set(px, kids);
        }
        kids[(y - py * 2) * 2 + (x - px * 2)] = node;
      }
      level++;
      const next = new Sparse();
      for (const [py, row] of parents) {
        for (const [px, kids] of row) {
          next.set(px, py, this.hold(s.find(level, kids[0]!, kids[1]!, kids[2]!, kids[3]!)));
        }
      }
      this.release();
      for (const [, , node] of next.entries()) this.hold(node);
      current = next;
    }
    const empty = s.emptyAt(level);
    const q = [empty, empty, empty, empty];
    for (const [x, y, node] of current.entries()) q[(y + 1) * 2 + (x + 1)] = node;
    this.root = s.find(level + 1, q[0]!, q[1]!, q[2]!, q[3]!);
    this.release();
    this.shrink();
  }

  /** Whether everything alive is in the centre half (the inner 2×2 of grandchildren). */
  centred(node: number): boolean {
    const s = this.store;
    const level = s.d[node + 6]!;
    if (level === 3) {
      return (
        (s.d[node]! & ~0xcc00) === 0 &&
        (s.d[node + 1]! & ~0x3300) === 0 &&
        (s.d[node + 2]! & ~0x00cc) === 0 &&
        (s.d[node + 3]! & ~0x0033) === 0
      );
    }
    const e = s.emptyAt(level - 2);
    const nw = s.d[node]!;
    const ne = s.d[node + 1]!;
    const sw = s.d[node + 2]!;
    const se = s.d[node + 3]!;
    return (
      s.d[nw] === e &&
      s.d[nw + 1] === e &&
      s.d[nw + 2] === e &&
      s.d[ne] === e &&
      s.d[ne + 1] === e &&
      s.d[ne + 3] === e &&
      s.d[sw] === e &&
      s.d[sw + 2] === e &&
      s.d[sw + 3] === e &&
      s.d[se + 1] === e &&
      s.d[se + 2] === e &&
      s.d[se + 3] === e
    );
  }

  /** Double the root's side, keeping it centred. */
  expand(): void {
    const s = this.store;
    const root = this.root;
    const level = s.d[root + 6]!;
    const e = level === 3 ? 0 : s.emptyAt(level - 1);
    this.hold(root);
    const a = this.hold(s.find(level, e, e, e, s.d[root]!));
    const b = this.hold(s.find(level, e, e, s.d[root + 1]!, e));
    const c = this.hold(s.find(level, e, s.d[root + 2]!, e, e));
    const d = this.hold(s.find(level, s.d[root + 3]!, e, e, e));
    this.root = s.find(level + 1, a, b, c, d);
    this.release();
  }

  /** Halve the root while everything alive stays inside. */
  shrink(): void {
    const s = this.store;
    while (this.level > 3 && this.centred(this.root)) {
      const r = this.root;
      const inner = [
        s.d[s.d[r]! + 3]!,
        s.d[s.d[r + 1]! + 2]!,
        s.d[s.d[r + 2]! + 1]!,
        s.d[s.d[r + 3]!]!,
      ] as const;
      this.root = s.find(this.level - 1, inner[0], inner[1], inner[2], inner[3]);
    }
  }

  /**
   * Get the root ready for a step of 2^stepLog: big enough, and with a margin around the
   * pattern wider than anything can travel in that time. Returns the root to evolve.
   */
  prepare(stepLog: number): number {
    while (this.level < stepLog + 2 || !this.centred(this.root)) this.expand();
    this.expand();
    this.evolver.useStep(stepLog, (this.generation & 1n) === 1n);
    return this.root;
  }

  /** Install the finished step's result as the new root. */
  finish(result: number, stepLog: number): void {
    this.root = result;
    this.generation += 1n << BigInt(stepLog);
    this.shrink();
  }

  /** Exact number of live cells. */
  population(node = this.root): bigint {
    const s = this.store;
    const pop = s.pop[node >> 3]!;
    if (pop < 2 ** 53) return BigInt(pop);
    return (
      this.population(s.d[node]!) +
      this.population(s.d[node + 1]!) +
      this.population(s.d[node + 2]!) +
      this.population(s.d[node + 3]!)
    );
  }

  /** Coordinate of the root's top-left cell. */
  get origin(): number {
    return -(2 ** (this.level - 1));
  }

  /**
   * Visit the non-empty nodes overlapping the box [x0, x1) × [y0, y1), down to nodes of
   * level `stop` (>= 2; level-2 values are 4×4 blocks).
   */
  visit(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    stop: number,
    visitor: (node: number, level: number, x: number, y: number) => void,
  ): void {
    const s = this.store;
    const walk = (node: number, level: number, x: number, y: number): void => {
      const size = 2 ** level;
      if (x >= x1 || y >= y1 || x + size <= x0 || y + size <= y0) return;
      if (level === 2 ? node === 0 : s.pop[node >> 3] === 0) return;
      if (level <= stop) {
        visitor(node, level, x, y);
        return;
      }
      const half = size / 2;
      walk(s.d[node]!, level - 1, x, y);
      walk(s.d[node + 1]!, level - 1, x + half, y);
      walk(s.d[node + 2]!, level - 1, x, y + half);
      walk(s.d[node + 3]!, level - 1, x + half, y + half);
    };
    walk(this.root, this.level, this.origin, this.origin);
  }

  /**
   * Pixel (px, py) is 1 when the square of 2^scaleLog2 cells at
   * (x + px·2^scaleLog2, y + py·2^scaleLog2) holds a live cell. Nodes that fit in one pixel
   * are not opened, so a zoomed-out picture of a huge world costs what it shows.
   */
  occupancy(x: number, y: number, width: number, height: number, scaleLog2: number): Uint8Array {
    const s = this.store;
    const out = new Uint8Array(width * height);
    const scale = 2 ** scaleLog2;
    const x1 = x + width * scale;
    const y1 = y + height * scale;
    const walk = (node: number, level: number, nx: number, ny: number): void => {
      const size = 2 ** level;
      if (nx >= x1 || ny >= y1 || nx + size <= x || ny + size <= y) return;
      if (level === 2 ? node === 0 : s.pop[node >> 3] === 0) return;
      const px = Math.floor((nx - x) / scale);
      const py = Math.floor((ny - y) / scale);
      if (
        px === Math.floor((nx + size - 1 - x) / scale) &&
        py === Math.floor((ny + size - 1 - y) / scale)
      ) {
        out[py * width + px] = 1;
        return;
      }
      if (level === 2) {
        for (let b = node; b !== 0; b &= b - 1) {
          const i = 31 - Math.clz32(b & -b);
          const cx = nx + (i & 3);
          const cy = ny + (i >> 2);
          if (cx >= x && cx < x1 && cy >= y && cy < y1) {
            out[Math.floor((cy - y) / scale) * width + Math.floor((cx - x) / scale)] = 1;
          }
        }
        return;
      }
      const half = size / 2;
      walk(s.d[node]!, level - 1, nx, ny);
      walk(s.d[node + 1]!, level - 1, nx + half, ny);
      walk(s.d[node + 2]!, level - 1, nx, ny + half);
      walk(s.d[node + 3]!, level - 1, nx + half, ny + half);
    };
    walk(this.root, this.level, this.origin, this.origin);
    return out;
  }

  /** Live cells inside the box, row-major. */
  cellsIn(x0: number, y0: number, x1: number, y1: number): XY[] {
    const out: XY[] = [];
    this.visit(x0, y0, x1, y1, 2, (bits, _level, x, y) => {
      for (let b = bits; b !== 0; b &= b - 1) {
        const i = 31 - Math.clz32(b & -b);
        const cx = x + (i & 3);
        const cy = y + (i >> 2);
        if (cx >= x0 && cx < x1 && cy >= y0 && cy < y1) out.push([cx, cy]);
      }
    });
    return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  }

  /** Smallest box holding every live cell, or undefined when the world is empty. */
  bounds(): { x: number; y: number; width: number; height: number } | undefined {
    const box = this.exactBounds();
    if (box === undefined) return undefined;
    return {
      x: Number(box.x),
      y: Number(box.y),
      width: Number(box.width),
      height: Number(box.height),
    };
  }

  /**
   * The same box, exactly: offsets inside nodes up to level 50 are exact numbers, above that
   * they are bigints (coordinates past 2^53 do not fit a number).
   */
  exactBounds(): { x: bigint; y: bigint; width: bigint; height: bigint } | undefined {
    if (this.store.pop[this.root >> 3] === 0) return undefined;
    const s = this.store;
    type Box = [number, number, number, number];
    type BigBox = [bigint, bigint, bigint, bigint];
    // Per node: [minX, minY, maxX, maxY] relative to the node's corner, memoized per call.
    const memo = new Map<number, Box>();
    const edges = (node: number, level: number): Box => {
      if (level === 2) {
        let minX = 4;
        let minY = 4;
        let maxX = -1;
        let maxY = -1;
        for (let i = 0; i < 16; i++) {
          if ((node >> i) & 1) {
            minX = Math.min(minX, i & 3);
            maxX = Math.max(maxX, i & 3);
            minY = Math.min(minY, i >> 2);
            maxY = Math.max(maxY, i >> 2);
          }
        }
        return [minX, minY, maxX, maxY];
      }
      const known = memo.get(node);
      if (known) return known;
      const half = 2 ** (level - 1);
      const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
      for (let k = 0; k < 4; k++) {
        const kid = s.d[node + k]!;
        if (level - 1 === 2 ? kid === 0 : s.pop[kid >> 3] === 0) continue;
        const [a, b, c, d] = edges(kid, level - 1);
        const dx = (k & 1) * half;
        const dy = (k >> 1) * half;
        box[0] = Math.min(box[0], a + dx);
        box[1] = Math.min(box[1], b + dy);
        box[2] = Math.max(box[2], c + dx);
        box[3] = Math.max(box[3], d + dy);
      }
      memo.set(node, box);
      return box;
    };
    const bigMemo = new Map<number, BigBox>();
    const bigEdges = (node: number, level: number): BigBox => {
      if (level <= 50) return edges(node, level).map(BigInt) as BigBox;
      const known = bigMemo.get(node);
      if (known) return known;
      const half = 1n << BigInt(level - 1);
      let box: BigBox | undefined;
      for (let k = 0; k < 4; k++) {
        const kid = s.d[node + k]!;
        if (s.pop[kid >> 3] === 0) continue;
        const [a, b, c, d] = bigEdges(kid, level - 1);
        const dx = BigInt(k & 1) * half;
        const dy = BigInt(k >> 1) * half;
        const next: BigBox = [a + dx, b + dy, c + dx, d + dy];
        if (box === undefined) {
          box = next;
          continue;
        }
        // Bigints: no Math.min / Math.max.
        if (next[0] < box[0]) box[0] = next[0];
        if (next[1] < box[1]) box[1] = next[1];
        if (next[2] > box[2]) box[2] = next[2];
        if (next[3] > box[3]) box[3] = next[3];
      }
      bigMemo.set(node, box!);
      return box!;
    };
    const [minX, minY, maxX, maxY] = bigEdges(this.root, this.level);
    const o = -(1n << BigInt(this.level - 1));
    return { x: o + minX, y: o + minY, width: maxX - minX + 1n, height: maxY - minY + 1n };
  }

  /** Population of a 4×4 block (for callers reading blocks from `visit`). */
  static blockPopulation(bits: number): number {
    return BLOCK_POPULATION[bits]!;
  }
}
