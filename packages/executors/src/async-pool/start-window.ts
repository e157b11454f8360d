/**
 * The rate limit of an `AsyncPool`: at most `cap` task starts in any `interval` ms, as a
 * sliding window. Each start is remembered for exactly `interval` ms and then stops
 * counting; nothing resets at a window boundary, so no burst of 2 × `cap` can straddle one
 * (the fixed-window model of p-queue's default and Bottleneck's reservoir allows that).
 * Running tasks do not count: only starts do. Memory: one number per start of the last
 * `interval` ms, never more than `cap`.
 */
export class StartWindow {
  readonly cap: number;
  readonly interval: number;
  /** Start times of the last `interval` ms, oldest first, from `#head`. */
  #times: number[] = [];
  #head = 0;

  constructor(cap: number, interval: number) {
    this.cap = cap;
    this.interval = interval;
  }

  /** Starts counted at `now` (those of the last `interval` ms). */
  count(now: number): number {
    this.#expire(now);
    return this.#times.length - this.#head;
  }

  /** Records a start at `now` if the window has room; false if it is full. */
  tryTake(now: number): boolean {
    if (this.count(now) >= this.cap) return false;
    this.#times.push(now);
    return true;
  }

  /** Milliseconds from `now` until a start is allowed again (0 if allowed now). */
  waitMs(now: number): number {
    if (this.count(now) < this.cap) return 0;
    return (this.#times[this.#head] as number) + this.interval - now;
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
