import { BLOCK_POPULATION } from './leaf-rules.js';

/**
 * Every node of the quadtree, hash-consed: two squares with the same cells are the same
 * node, so a pattern's repetition in space costs nothing and a memoized result serves every
 * copy. Nodes live in parallel typed arrays indexed by node number (no JS object per node):
 * four children, the memoized result, the hash chain, the population and the level.
 *
 * A node of level L is a square of 2^L cells a side, L >= 3. The children of a level-3 node
 * are 4×4 blocks given as 16-bit numbers, not node numbers; a level-3 node's result is such
 * a block too. Which meaning a number has always follows from the level.
 *
 * Memory is bounded: the arrays grow up to `maxNodes` and then a mark-and-sweep collection
 * frees every node that the caller's roots do not reach.
 */
export const BYTES_PER_NODE = 4 * 4 + 4 + 4 + 8 + 1 + 1 + 4;

/** No memoized result. */
export const NO_RESULT = -1;

const FREE = 0;
const INITIAL_CAPACITY = 1 << 12;

/** Thrown when a collection frees too little to go on (`HashLifeMemoryError` upstream). */
export class StoreFullError extends Error {
  constructor(
    readonly liveNodes: number,
    readonly maxNodes: number,
  ) {
    super(`node store full: ${liveNodes} of ${maxNodes} nodes still in use after collection`);
  }
}

/** Calls `mark(node)` for every node number the caller still needs. */
export type RootVisitor = (mark: (node: number) => void) => void;

export class NodeStore {
  nw: Int32Array;
  ne: Int32Array;
  sw: Int32Array;
  se: Int32Array;
  res: Int32Array;
  next: Int32Array;
  pop: Float64Array;
  level: Uint8Array;
  #marks: Uint8Array;
  #buckets: Int32Array;
  #mask: number;
  /** Slots `< #top` have been handed out at least once. */
  #top = 0;
  #freeHead = -1;
  #live = 0;
  readonly maxNodes: number;
  /** Number of collections so far. */
  collections = 0;
  /** Nodes created since the store was made (freed ones counted too). */
  created = 0;
  /** The empty node of each level (index = level), kept alive forever. */
  readonly empty: number[] = [];
  readonly #roots: RootVisitor;

  constructor(maxNodes: number, roots: RootVisitor) {
    if (!(maxNodes >= 64)) throw new RangeError(`the node store needs room for 64 nodes at least`);
    this.maxNodes = Math.floor(maxNodes);
    this.#roots = roots;
    const capacity = Math.min(INITIAL_CAPACITY, this.maxNodes);
    this.nw = new Int32Array(capacity);
    this.ne = new Int32Array(capacity);
    this.sw = new Int32Array(capacity);
    this.se = new Int32Array(capacity);
    this.res = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.pop = new Float64Array(capacity);
    this.level = new Uint8Array(capacity);
    this.#marks = new Uint8Array(capacity);
    this.#buckets = new Int32Array(bucketCount(capacity)).fill(-1);
    this.#mask = this.#buckets.length - 1;
    this.empty[3] = this.find(3, 0, 0, 0, 0);
  }

  /** Slots the arrays have room for now. */
  get capacity(): number {
    return this.level.length;
  }

  /** Nodes in use. */
  get liveNodes(): number {
    return this.#live;
  }

  /** Bytes held by the node arrays and the hash table. */
  get bytes(): number {
    return this.capacity * (BYTES_PER_NODE - 4) + this.#buckets.length * 4;
  }

  /** The empty node of `level`, made on first use (level 2: the empty 4×4 block, 0). */
  emptyAt(level: number): number {
    if (level <= 2) return 0;
    let node = this.empty[level];
    if (node === undefined) {
      const child = level === 3 ? 0 : this.emptyAt(level - 1);
      node = this.find(level, child, child, child, child);
      this.empty[level] = node;
    }
    return node;
  }

  /** The unique node of `level` with these children (made if new). */
  find(level: number, a: number, b: number, c: number, d: number): number {
    let h =
      (Math.imul(a, 0x9e3779b1) ^
        Math.imul(b, 0x85ebca77) ^
        Math.imul(c, 0xc2b2ae3d) ^
        Math.imul(d, 0x27d4eb2f)) +
      level;
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    const nw = this.nw;
    const ne = this.ne;
    const sw = this.sw;
    const se = this.se;
    const next = this.next;
    for (let i = this.#buckets[h & this.#mask]!; i !== -1; i = next[i]!) {
      if (nw[i] === a && ne[i] === b && sw[i] === c && se[i] === d && this.level[i] === level) {
        return i;
      }
    }
    return this.#create(level, a, b, c, d, h);
  }

  #create(level: number, a: number, b: number, c: number, d: number, hash: number): number {
    let i = this.#allocate();
    if (i === -1) {
      // The children of the node being made are the caller's to keep alive.
      this.collect(a, b, c, d, level);
      i = this.#allocate();
      if (i === -1) throw new StoreFullError(this.#live, this.maxNodes);
    }
    this.nw[i] = a;
    this.ne[i] = b;
    this.sw[i] = c;
    this.se[i] = d;
    this.level[i] = level;
    this.res[i] = NO_RESULT;
    const pop = this.pop;
    this.pop[i] =
      level === 3
        ? BLOCK_POPULATION[a]! + BLOCK_POPULATION[b]! + BLOCK_POPULATION[c]! + BLOCK_POPULATION[d]!
        : pop[a]! + pop[b]! + pop[c]! + pop[d]!;
    const bucket = hash & this.#mask;
    this.next[i] = this.#buckets[bucket]!;
    this.#buckets[bucket] = i;
    this.#live++;
    this.created++;
    return i;
  }

  #allocate(): number {
    if (this.#freeHead !== -1) {
      const i = this.#freeHead;
      this.#freeHead = this.next[i]!;
      return i;
    }
    if (this.#top === this.capacity) {
      if (this.capacity >= this.maxNodes) return -1;
      this.#grow(Math.min(this.maxNodes, this.capacity * 2));
    }
    return this.#top++;
  }

  #grow(capacity: number): void {
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(
      old: T,
      make: (n: number) => T,
    ) => {
      const fresh = make(capacity);
      fresh.set(old);
      return fresh;
    };
    this.nw = grow(this.nw, (n) => new Int32Array(n));
    this.ne = grow(this.ne, (n) => new Int32Array(n));
    this.sw = grow(this.sw, (n) => new Int32Array(n));
    this.se = grow(this.se, (n) => new Int32Array(n));
    this.res = grow(this.res, (n) => new Int32Array(n));
    this.next = grow(this.next, (n) => new Int32Array(n));
    this.pop = grow(this.pop, (n) => new Float64Array(n));
    this.level = grow(this.level, (n) => new Uint8Array(n));
    this.#marks = new Uint8Array(capacity);
    if (bucketCount(capacity) !== this.#buckets.length) {
      this.#buckets = new Int32Array(bucketCount(capacity));
      this.#mask = this.#buckets.length - 1;
      this.#rehash();
    }
  }

  #rehash(): void {
    const buckets = this.#buckets.fill(-1);
    const mask = this.#mask;
    for (let i = 0; i < this.#top; i++) {
      const level = this.level[i]!;
      if (level === FREE) continue;
      let h =
        (Math.imul(this.nw[i]!, 0x9e3779b1) ^
          Math.imul(this.ne[i]!, 0x85ebca77) ^
          Math.imul(this.sw[i]!, 0xc2b2ae3d) ^
          Math.imul(this.se[i]!, 0x27d4eb2f)) +
        level;
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d);
      h ^= h >>> 13;
      this.next[i] = buckets[h & mask]!;
      buckets[h & mask] = i;
    }
  }

  /**
   * Mark-and-sweep: keep what the roots (and the empty nodes, and the children of a node
   * being made, given as `a..d` at `level`) reach, free the rest, and forget results that
   * point at freed nodes.
   */
  collect(a = -1, b = -1, c = -1, d = -1, level = 0): void {
    const marks = this.#marks.fill(0, 0, this.#top);
    const stack: number[] = [];
    const mark = (node: number): void => {
      if (node < 0 || marks[node] === 1) return;
      marks[node] = 1;
      stack.push(node);
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (this.level[n]! <= 3) continue;
        const a = this.nw[n]!;
        const b = this.ne[n]!;
        const c = this.sw[n]!;
        const d = this.se[n]!;
        if (marks[a] === 0) {
          marks[a] = 1;
          stack.push(a);
        }
        if (marks[b] === 0) {
          marks[b] = 1;
          stack.push(b);
        }
        if (marks[c] === 0) {
          marks[c] = 1;
          stack.push(c);
        }
        if (marks[d] === 0) {
          marks[d] = 1;
          stack.push(d);
        }
      }
    };
    for (const node of this.empty) if (node !== undefined) mark(node);
    if (level > 3) for (const child of [a, b, c, d]) mark(child);
    this.#roots(mark);
    this.#freeHead = -1;
    let live = 0;
    for (let i = this.#top - 1; i >= 0; i--) {
      if (marks[i] === 1) {
        live++;
        const r = this.res[i]!;
        if (r !== NO_RESULT && this.level[i]! > 3 && marks[r] === 0) this.res[i] = NO_RESULT;
      } else {
        this.level[i] = FREE;
        this.next[i] = this.#freeHead;
        this.#freeHead = i;
      }
    }
    this.#live = live;
    this.collections++;
    this.#rehash();
    // Too little freed to make progress: report it rather than collect on every allocation.
    if (this.#top - live < Math.max(16, this.maxNodes >> 6)) {
      throw new StoreFullError(live, this.maxNodes);
    }
  }

  /** Forget every memoized result of a node above `level`. */
  clearResultsAbove(level: number): void {
    const levels = this.level;
    const res = this.res;
    for (let i = 0; i < this.#top; i++) if (levels[i]! > level) res[i] = NO_RESULT;
  }
}

/** The largest power of two not above `capacity` (at most two nodes a bucket on average). */
function bucketCount(capacity: number): number {
  return 2 ** Math.floor(Math.log2(capacity));
}
