/**
 * The rate limit of an `AsyncPool`: at most `cap` task starts in any `interval` ms, as a
 * sliding window. A start is reserved before the task function is called and stamped with
 * the time its call returned; it counts until `interval` ms after that stamp and then
 * stops counting. Stamping after the call means the next start can only come a full
 * `interval` after this one began, however long the call or a GC pause in between took.
 * Nothing resets at a window boundary, so no burst of 2 × `cap` can straddle one (the
 * fixed-window model of p-queue's default and Bottleneck's reservoir allows that).
 * Running tasks do not count: only starts do. Memory: one number per start of the last
 * `interval` ms, never more than `cap`.
 */
export class StartWindow {
  readonly cap: number;
  readonly interval: number;
  /** Stamps of the last `interval` ms, oldest first, from `#head`. */
  #times: number[] = [];
  #head = 0;
  /** Starts reserved whose call has not returned yet (a task starting another). */
  #reserved = 0;

  constructor(cap: number, interval: number) {
    this.cap = cap;
    this.interval = interval;
  }

  /** Starts counted at `now`: those stamped in the last `interval` ms, and the reserved ones. */
  count(now: number): number {
    this.#expire(now);
    return this.#times.length - this.#head + this.#reserved;
  }

  /** Reserves a start if the window has room at `now`; false if it is full. */
  tryReserve(now: number): boolean {
    if (this.count(now) >= this.cap) return false;
    this.#reserved++;
    return true;
  }

  /** The reserved start's call returned at `now`: it counts from here. */
  commit(now: number): void {
    this.#reserved--;
    this.#times.push(now);
  }

  /** Milliseconds from `now` until a start is allowed again (0 if allowed now). */
  waitMs(now: number): number {
    if (this.count(now) < this.cap) return 0;
    const oldest = this.#times[this.#head];
    // Only reserved starts fill it: one will be stamped when its call returns.
    return oldest === undefined ? this.interval : oldest + this.interval - now;
  }

  #expire(now: number): void {
    const times = this.#times;
    let head = this.#head;
    while (head < times.length && now - (times[head] as number) >= this.interval) head++;
    if (head > 0 && head * 2 >= times.length) {
      this.#times = times.slice(head);
      head = 0;
    }
    this.#head = head;
  }
}
