import { BLOCK_POPULATION } from './leaf-rules.js';

/**
 * Every node of the quadtree, hash-consed: two squares with the same cells are the same
 * node, so a pattern's repetition in space costs nothing and a memoized result serves every
 * copy. Nodes live in one Int32Array, eight numbers a node (no JS object per node), so a
 * hash probe reads one cache line: a node's number is its offset in that array.
 *
 *   d[n]     nw child      d[n + 4]  memoized result (NO_RESULT when none)
 *   d[n + 1] ne child      d[n + 5]  next node in the hash chain (-1 ends it)
 *   d[n + 2] sw child      d[n + 6]  level (0 = a free slot)
 *   d[n + 3] se child      d[n + 7]  unused (keeps nodes on 32-byte boundaries)
 *
 * Populations are in a Float64Array at `n >> 3`. A node of level L is a square of 2^L
 * cells a side, L >= 3. The children of a level-3 node are 4×4 blocks given as 16-bit
 * numbers, not node numbers; a level-3 node's result is such a block too. Which meaning a
 * number has always follows from the level.
 *
 * Memory is bounded: the arrays grow up to `maxNodes` and then a mark-and-sweep collection
 * frees every node that the caller's roots do not reach.
 */
export const STRIDE = 8;
/** Bytes a node costs at most: its 8 numbers, its population, one hash bucket. */
export const BYTES_PER_NODE = STRIDE * 4 + 8 + 4;

/** No memoized result. */
export const NO_RESULT = -1;

const INITIAL_CAPACITY = 1 << 15;

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

const hash4 = (a: number, b: number, c: number, d: number, level: number): number => {
  let h =
    (Math.imul(a, 0x9e3779b1) ^
      Math.imul(b, 0x85ebca77) ^
      Math.imul(c, 0xc2b2ae3d) ^
      Math.imul(d, 0x27d4eb2f)) +
    level;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
};

export class NodeStore {
  /** The nodes, `STRIDE` numbers each. */
  d: Int32Array;
  /** Population of node n at `n >> 3`. */
  pop: Float64Array;
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
    if (!(maxNodes >= 64)) throw new RangeError('the node store needs room for 64 nodes at least');
    this.maxNodes = Math.min(Math.floor(maxNodes), 2 ** 28 - 1);
    this.#roots = roots;
    const capacity = Math.min(INITIAL_CAPACITY, this.maxNodes);
    this.d = new Int32Array(capacity * STRIDE);
    this.pop = new Float64Array(capacity);
    this.#buckets = new Int32Array(bucketCount(capacity)).fill(-1);
    this.#mask = this.#buckets.length - 1;
    this.empty[3] = this.find(3, 0, 0, 0, 0);
  }

  /** Slots the arrays have room for now. */
  get capacity(): number {
    return this.pop.length;
  }

  /** Nodes in use. */
  get liveNodes(): number {
    return this.#live;
  }

  /** Bytes held by the node arrays and the hash table. */
  get bytes(): number {
    return this.capacity * (STRIDE * 4 + 8) + this.#buckets.length * 4;
  }

  /** The empty node of `level`, made on first use (level 2: the empty 4×4 block, 0). */
  emptyAt(level: number): number {
    if (level <= 2) return 0;
    let node = this.empty[level];
    if (node === undefined) {
      const child = this.emptyAt(level - 1);
      node = this.find(level, child, child, child, child);
      this.empty[level] = node;
    }
    return node;
  }

  /** The unique node of `level` with these children (made if new). */
  find(level: number, a: number, b: number, c: number, d: number): number {
    const h = hash4(a, b, c, d, level);
    const data = this.d;
    for (let i = this.#buckets[h & this.#mask]!; i !== -1; i = data[i + 5]!) {
      if (
        data[i] === a &&
        data[i + 1] === b &&
        data[i + 2] === c &&
        data[i + 3] === d &&
        data[i + 6] === level
      ) {
        return i;
      }
    }
    return this.#create(level, a, b, c, d);
  }

  #create(level: number, a: number, b: number, c: number, d: number): number {
    let i = this.#allocate();
    if (i === -1) {
      // The children of the node being made are the caller's to keep alive.
      this.collect(a, b, c, d, level);
      i = this.#allocate();
      if (i === -1) throw new StoreFullError(this.#live, this.maxNodes);
    }
    const data = this.d;
    data[i] = a;
    data[i + 1] = b;
    data[i + 2] = c;
    data[i + 3] = d;
    data[i + 4] = NO_RESULT;
    data[i + 6] = level;
    const pop = this.pop;
    pop[i >> 3] =
      level === 3
        ? BLOCK_POPULATION[a]! + BLOCK_POPULATION[b]! + BLOCK_POPULATION[c]! + BLOCK_POPULATION[d]!
        : pop[a >> 3]! + pop[b >> 3]! + pop[c >> 3]! + pop[d >> 3]!;
    const bucket = hash4(a, b, c, d, level) & this.#mask;
    data[i + 5] = this.#buckets[bucket]!;
    this.#buckets[bucket] = i;
    this.#live++;
    this.created++;
    return i;
  }

  #allocate(): number {
    if (this.#freeHead !== -1) {
      const i = this.#freeHead;
      this.#freeHead = this.d[i + 5]!;
      return i;
    }
    if (this.#top === this.capacity) {
      if (this.capacity >= this.maxNodes) return -1;
      this.#grow(Math.min(this.maxNodes, this.capacity * 2));
    }
    return this.#top++ * STRIDE;
  }

  #grow(capacity: number): void {
    const data = new Int32Array(capacity * STRIDE);
    data.set(this.d);
    this.d = data;
    const pop = new Float64Array(capacity);
    pop.set(this.pop);
    this.pop = pop;
    if (bucketCount(capacity) !== this.#buckets.length) {
      this.#buckets = new Int32Array(bucketCount(capacity));
      this.#mask = this.#buckets.length - 1;
      this.#rehash();
    }
  }

  #rehash(): void {
    const buckets = this.#buckets.fill(-1);
    const mask = this.#mask;
    const data = this.d;
    const end = this.#top * STRIDE;
    for (let i = 0; i < end; i += STRIDE) {
      const level = data[i + 6]!;
      if (level === 0) continue;
      const h = hash4(data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!, level) & mask;
      data[i + 5] = buckets[h]!;
      buckets[h] = i;
    }
  }

  /**
   * Mark-and-sweep: keep what the roots (and the empty nodes, and the children of a node
   * being made, given as `a..d` at `level`) reach, free the rest, and forget results that
   * point at freed nodes.
   */
  collect(a = -1, b = -1, c = -1, d = -1, level = 0): void {
    const marks = new Uint8Array(this.#top);
    const data = this.d;
    const stack: number[] = [];
    const push = (node: number): void => {
      if (marks[node >> 3] === 0) {
        marks[node >> 3] = 1;
        stack.push(node);
      }
    };
    const mark = (node: number): void => {
      if (node < 0) return;
      push(node);
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (data[n + 6]! <= 3) continue;
        push(data[n]!);
        push(data[n + 1]!);
        push(data[n + 2]!);
        push(data[n + 3]!);
      }
    };
    for (const node of this.empty) if (node !== undefined) mark(node);
    if (level > 3) for (const child of [a, b, c, d]) mark(child);
    this.#roots(mark);
    this.#freeHead = -1;
    let live = 0;
    for (let slot = this.#top - 1; slot >= 0; slot--) {
      const i = slot * STRIDE;
      if (marks[slot] === 1) {
        live++;
        const r = data[i + 4]!;
        if (r !== NO_RESULT && data[i + 6]! > 3 && marks[r >> 3] === 0) data[i + 4] = NO_RESULT;
      } else {
        data[i + 6] = 0;
        data[i + 5] = this.#freeHead;
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
    const data = this.d;
    const end = this.#top * STRIDE;
    for (let i = 0; i < end; i += STRIDE) if (data[i + 6]! > level) data[i + 4] = NO_RESULT;
  }
}

/** The largest power of two not above `capacity` (at most two nodes a bucket on average). */
function bucketCount(capacity: number): number {
  return 2 ** Math.floor(Math.log2(capacity));
}
