import type { GcdProgress } from './types.js';

const INTERVAL_MS = 50;

/** Reports progress at most every 50 ms, and always once when the run completes. */
export class ProgressReporter {
  readonly #mode: string;
  readonly #listener: ((progress: GcdProgress) => void) | undefined;
  #total: number | undefined;
  #done = 0;
  #last = 0;
  #finalReported = false;

  /** `total` is `undefined` for a stream, whose length is known only at its end. */
  constructor(
    mode: string,
    total: number | undefined,
    listener: ((progress: GcdProgress) => void) | undefined,
  ) {
    this.#mode = mode;
    this.#total = total;
    this.#listener = listener;
  }

  /** Count `n` more finished pairs. */
  add(n: number): void {
    this.#done += n;
    if (this.#listener === undefined) return;
    const now = performance.now();
    const final = this.#done === this.#total;
    if ((final && !this.#finalReported) || now - this.#last >= INTERVAL_MS) {
      this.#last = now;
      this.#finalReported = final;
      this.#listener({ mode: this.#mode, done: this.#done, total: this.#total });
    }
  }

  /** The run is over: `total` is now known; reports `done === total` unless already done. */
  finish(): void {
    this.#total = this.#done;
    if (this.#finalReported || this.#listener === undefined) return;
    this.#finalReported = true;
    this.#listener({ mode: this.#mode, done: this.#done, total: this.#total });
  }
}
