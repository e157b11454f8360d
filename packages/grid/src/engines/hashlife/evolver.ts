import { type LeafRules, leafStep1, leafStep2 } from './leaf-rules.js';
import { NO_RESULT, type NodeStore } from './node-store.js';

/**
 * Gosper's recursion, written as a loop over an explicit stack so a long computation can
 * stop after any node, give the event loop a turn and carry on, and so the garbage
 * collector can see every half-built value (the stack is one of its roots).
 *
 * The result of a node of level L is its centre square (level L-1), 2^min(L-2, j)
 * generations later, j being the step's `stepLog` (the same for a whole step):
 * - j >= L-2 (the node's natural step): the nine overlapping level-(L-1) squares are each
 *   advanced 2^(L-3), the four squares their results form are advanced 2^(L-3) again.
 * - j < L-2: the nine squares' centres (no time) form four squares, each advanced 2^j.
 * Each result is memoized on the node; the memo is valid for one `stepLog` (and, for
 * alternating B0 rules with steps of 1, one parity) and cleared in part when that changes.
 */
const FRAME = 16;
const NODE = 0;
const PHASE = 1;
const PENDING = 2;
const SLOTS = 3; // nine first-phase values, then four second-phase results

/** How many frame steps run between two looks at the clock. */
const CHECK_EVERY = 256;

export class Evolver {
  readonly #store: NodeStore;
  readonly #rules: LeafRules;
  #stack = new Int32Array(FRAME * 64);
  #depth = 0;
  #stepLog = -1;
  #oddStart = false;
  #result = NO_RESULT;

  constructor(store: NodeStore, rules: LeafRules) {
    this.#store = store;
    this.#rules = rules;
  }

  /** The step's exponent and parity the memo is currently valid for. */
  get stepLog(): number {
    return this.#stepLog;
  }

  /** Mark every node the stack holds (a collector root). */
  visitRoots(mark: (node: number) => void): void {
    if (this.#result !== NO_RESULT) mark(this.#result);
    const st = this.#stack;
    const data = this.#store.d;
    for (let depth = 0; depth < this.#depth; depth++) {
      const f = depth * FRAME;
      const node = st[f + NODE]!;
      mark(node);
      const pending = st[f + PENDING]!;
      if (pending !== NO_RESULT) mark(pending);
      // Slots hold level L-2 values: 4×4 blocks, not node numbers, when L is 4.
      if (data[node + 6]! >= 5) {
        for (let s = 0; s < 13; s++) {
          const v = st[f + SLOTS + s]!;
          if (v !== NO_RESULT) mark(v);
        }
      }
    }
  }

  /**
   * Make the memo valid for steps of 2^`stepLog` starting at an odd or even generation,
   * forgetting only the results that change.
   */
  useStep(stepLog: number, oddStart: boolean): void {
    const parityMatters = this.#rules.alternates && stepLog === 0;
    const odd = parityMatters && oddStart;
    if (this.#stepLog === stepLog && this.#oddStart === odd) return;
    if (this.#stepLog !== -1) {
      if (this.#stepLog === 0 && stepLog === 0) this.#store.clearResultsAbove(2);
      else this.#store.clearResultsAbove(Math.min(this.#stepLog, stepLog) + 2);
    }
    this.#stepLog = stepLog;
    this.#oddStart = odd;
  }

  /** Begin computing the result of `root` (level >= stepLog + 2). */
  start(root: number): void {
    this.#depth = 0;
    this.#result = NO_RESULT;
    const store = this.#store;
    if (store.d[root + 6] === 3) {
      this.#result = this.#leafResult(root);
      return;
    }
    const memo = store.d[root + 4]!;
    if (memo !== NO_RESULT) this.#result = memo;
    else this.#push(root);
  }

  /** Drop a computation (after an abort); memoized results stay. */
  cancel(): void {
    this.#depth = 0;
    this.#result = NO_RESULT;
  }

  /** The finished result, once `run` has returned true. */
  takeResult(): number {
    const result = this.#result;
    this.#result = NO_RESULT;
    return result;
  }

  #push(node: number): void {
    const f = this.#depth * FRAME;
    if (f + FRAME > this.#stack.length) {
      const bigger = new Int32Array(this.#stack.length * 2);
      bigger.set(this.#stack);
      this.#stack = bigger;
    }
    const st = this.#stack;
    st[f + NODE] = node;
    st[f + PHASE] = 0;
    st.fill(NO_RESULT, f + PENDING, f + FRAME);
    this.#depth++;
  }

  #leafResult(node: number): number {
    const s = this.#store;
    const rules = this.#rules;
    const a = s.d[node]!;
    const b = s.d[node + 1]!;
    const c = s.d[node + 2]!;
    const d = s.d[node + 3]!;
    const result =
      this.#stepLog === 0
        ? leafStep1(this.#oddStart ? rules.odd : rules.even, a, b, c, d)
        : leafStep2(rules.even, rules.odd, a, b, c, d);
    s.d[node + 4] = result;
    return result;
  }

  /**
   * Work until the result is ready (returns true) or `due()` says the slice is over
   * (returns false; call again to go on).
   */
  run(due: () => boolean): boolean {
    const s = this.#store;
    let budget = CHECK_EVERY;
    while (this.#depth > 0) {
      if (--budget === 0) {
        budget = CHECK_EVERY;
        if (due()) return false;
      }
      const st = this.#stack;
      const f = (this.#depth - 1) * FRAME;
      const n = st[f + NODE]!;
      const level = s.d[n + 6]!;
      const natural = level - 2 <= this.#stepLog;
      let phase = st[f + PHASE]!;
      const pending = st[f + PENDING]!;
      if (pending !== NO_RESULT) {
        st[f + SLOTS + phase] = s.d[pending + 4]!;
        st[f + PENDING] = NO_RESULT;
        phase++;
      }
      let pushed = false;
      while (phase < 13) {
        let child: number;
        if (phase < 9) {
          if (!natural) {
            st[f + SLOTS + phase] = this.#centreOfPart(n, level, phase);
            phase++;
            continue;
          }
          child = this.#part(n, level, phase);
        } else {
          const k = phase - 9;
          const base = f + SLOTS + (k >> 1) * 3 + (k & 1);
          child = s.find(level - 1, st[base]!, st[base + 1]!, st[base + 3]!, st[base + 4]!);
        }
        let r = s.d[child + 4]!;
        if (r === NO_RESULT) {
          if (level - 1 === 3) r = this.#leafResult(child);
          else {
            st[f + PHASE] = phase;
            st[f + PENDING] = child;
            this.#push(child);
            pushed = true;
            break;
          }
        }
        st[f + SLOTS + phase] = r;
        phase++;
      }
      if (pushed) continue;
      const q = f + SLOTS + 9;
      const result = s.find(level - 1, st[q]!, st[q + 1]!, st[q + 2]!, st[q + 3]!);
      s.d[n + 4] = result;
      this.#depth--;
      if (this.#depth === 0) this.#result = result;
    }
    return true;
  }

  /**
   * Part `i` (row-major, 0..8) of the nine overlapping level-(L-1) squares of node `n`.
   * Parts 0, 2, 6, 8 are the children; the others straddle them.
   */
  #part(n: number, level: number, i: number): number {
    const s = this.#store;
    switch (i) {
      case 0:
        return s.d[n]!;
      case 2:
        return s.d[n + 1]!;
      case 6:
        return s.d[n + 2]!;
      case 8:
        return s.d[n + 3]!;
    }
    const nw = s.d[n]!;
    const ne = s.d[n + 1]!;
    const sw = s.d[n + 2]!;
    const se = s.d[n + 3]!;
    const L = level - 1;
    switch (i) {
      case 1:
        return s.find(L, s.d[nw + 1]!, s.d[ne]!, s.d[nw + 3]!, s.d[ne + 2]!);
      case 3:
        return s.find(L, s.d[nw + 2]!, s.d[nw + 3]!, s.d[sw]!, s.d[sw + 1]!);
      case 4:
        return s.find(L, s.d[nw + 3]!, s.d[ne + 2]!, s.d[sw + 1]!, s.d[se]!);
      case 5:
        return s.find(L, s.d[ne + 2]!, s.d[ne + 3]!, s.d[se]!, s.d[se + 1]!);
      default:
        return s.find(L, s.d[sw + 1]!, s.d[se]!, s.d[sw + 3]!, s.d[se + 2]!);
    }
  }

  /** The centre (level L-2, no time passed) of part `i` of node `n`. */
  #centreOfPart(n: number, level: number, i: number): number {
    const s = this.#store;
    // The 4×4 grid of grandchildren g[row][col]; part (r, c) is g[r..r+1][c..c+1], and its
    // centre is made of the inner great-grandchildren of those four.
    const r = (i / 3) | 0;
    const c = i % 3;
    const a = this.#grandchild(n, r, c);
    const b = this.#grandchild(n, r, c + 1);
    const d = this.#grandchild(n, r + 1, c);
    const e = this.#grandchild(n, r + 1, c + 1);
    if (level === 4) {
      // The grandchildren are 4×4 blocks: take the inner 2×2 of each.
      return (
        ((a >> 10) & 3) |
        (((a >> 14) & 3) << 4) |
        (((b >> 8) & 3) << 2) |
        (((b >> 12) & 3) << 6) |
        (((d >> 2) & 3) << 8) |
        (((d >> 6) & 3) << 12) |
        ((e & 3) << 10) |
        (((e >> 4) & 3) << 14)
      );
    }
    return s.find(level - 2, s.d[a + 3]!, s.d[b + 2]!, s.d[d + 1]!, s.d[e]!);
  }

  #grandchild(n: number, row: number, col: number): number {
    const s = this.#store;
    const child = row < 2 ? (col < 2 ? s.d[n]! : s.d[n + 1]!) : col < 2 ? s.d[n + 2]! : s.d[n + 3]!;
    const r = row & 1;
    const c = col & 1;
    return r === 0
      ? c === 0
        ? s.d[child]!
        : s.d[child + 1]!
      : c === 0
        ? s.d[child + 2]!
        : s.d[child + 3]!;
  }
}
