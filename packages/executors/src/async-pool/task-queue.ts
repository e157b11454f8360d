import { Fifo } from './fifo.js';

/** Where a queue entry is kept: not queued (started, removed, never queued). */
export const NOT_QUEUED = 0;
/** In the FIFO of default-priority entries. */
const IN_FIFO = 1;
/** In the heap of the other priorities. */
const IN_HEAP = 2;

/** Where a queue entry is kept (see the constants above). */
export type Place = typeof NOT_QUEUED | typeof IN_FIFO | typeof IN_HEAP;

/** The fields `TaskQueue` keeps on each entry (so it needs no wrapper objects). */
export interface QueueEntry {
  /** Higher starts first. */
  priority: number;
  /** Submission order, set by `push`; earlier starts first among equal priorities. */
  seq: number;
  place: Place;
  /** Position in the heap while `place` is `Heap`. */
  heapIndex: number;
}

/** True when `a` starts before `b`: higher priority, then earlier submission. */
function before(a: QueueEntry, b: QueueEntry): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
}

/**
 * The waiting tasks of an `AsyncPool`, in start order: higher `priority` first, then
 * submission order. Entries of the default priority 0 live in a plain FIFO (O(1), what a
 * pool without priorities pays); the others in a binary heap (O(log n) whatever the number
 * of distinct priorities), and the two are merged when taking the next entry. Removal and
 * re-prioritisation are O(log n) in the heap; a FIFO entry is left behind as a stale
 * reference (its `place` changes) and skipped when it reaches the head.
 */
export class TaskQueue<T extends QueueEntry> {
  readonly #fifo = new Fifo<T>();
  readonly #heap: T[] = [];
  #seq = 0;

  /** Adds an entry after every entry of the same priority. */
  push(entry: T): void {
    entry.seq = this.#seq++;
    if (entry.priority === 0) {
      entry.place = IN_FIFO;
      this.#fifo.push(entry);
    } else {
      this.#heapPush(entry);
    }
  }

  /** Removes and returns the entry that starts next. */
  shift(): T | undefined {
    const head = this.#fifoHead();
    const heap = this.#heap;
    if (heap.length > 0 && (head === undefined || before(heap[0] as T, head))) {
      return this.#heapRemoveAt(0);
    }
    if (head === undefined) return undefined;
    this.#fifo.shift();
    head.place = NOT_QUEUED;
    return head;
  }

  /** Takes an entry out of the queue wherever it is; false if it was not queued. */
  remove(entry: T): boolean {
    if (entry.place === IN_HEAP) {
      this.#heapRemoveAt(entry.heapIndex);
      return true;
    }
    if (entry.place === IN_FIFO) {
      // Left in the FIFO as a stale reference, skipped when it reaches the head.
      entry.place = NOT_QUEUED;
      return true;
    }
    return false;
  }

  /**
   * Gives a queued entry a new priority; it keeps its submission order among the entries of
   * its new priority. False if the entry is not queued.
   */
  setPriority(entry: T, priority: number): boolean {
    if (entry.place === NOT_QUEUED) return false;
    if (entry.priority === priority) return true;
    if (entry.place === IN_FIFO) {
      entry.place = NOT_QUEUED;
      entry.priority = priority;
      this.#heapPush(entry);
      return true;
    }
    const raised = priority > entry.priority;
    entry.priority = priority;
    if (raised) this.#siftUp(entry.heapIndex);
    else this.#siftDown(entry.heapIndex);
    return true;
  }

  /** Removes every entry and returns them in start order. */
  drain(): T[] {
    const out: T[] = [];
    for (let entry = this.shift(); entry !== undefined; entry = this.shift()) out.push(entry);
    return out;
  }

  #fifoHead(): T | undefined {
    const fifo = this.#fifo;
    let head = fifo.peek();
    while (head !== undefined && head.place !== IN_FIFO) {
      fifo.shift();
      head = fifo.peek();
    }
    return head;
  }

  #heapPush(entry: T): void {
    entry.place = IN_HEAP;
    entry.heapIndex = this.#heap.length;
    this.#heap.push(entry);
    this.#siftUp(entry.heapIndex);
  }

  #heapRemoveAt(index: number): T {
    const heap = this.#heap;
    const entry = heap[index] as T;
    const last = heap.pop() as T;
    if (last !== entry) {
      heap[index] = last;
      last.heapIndex = index;
      this.#siftDown(index);
      this.#siftUp(last.heapIndex);
    }
    entry.place = NOT_QUEUED;
    entry.heapIndex = -1;
    return entry;
  }

  #siftUp(start: number): void {
    const heap = this.#heap;
    const entry = heap[start] as T;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as T;
      if (!before(entry, parent)) break;
      heap[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    heap[index] = entry;
    entry.heapIndex = index;
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    const length = heap.length;
    const entry = heap[start] as T;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && before(heap[right] as T, heap[left] as T)) child = right;
      const next = heap[child] as T;
      if (!before(next, entry)) break;
      heap[index] = next;
      next.heapIndex = index;
      index = child;
    }
    heap[index] = entry;
    entry.heapIndex = index;
  }
}
