import type { GcdProgress, RunMode } from './run-types.js';

const INTERVAL_MS = 50;

/** Reports progress at most every 50 ms, and always once when the run completes. */
export class ProgressReporter {
  readonly #mode: RunMode;
  readonly #total: number;
  readonly #listener: ((progress: GcdProgress) => void) | undefined;
  #done = 0;
  #last = 0;

  constructor(
    mode: RunMode,
    total: number,
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
    if (this.#done === this.#total || now - this.#last >= INTERVAL_MS) {
      this.#last = now;
      this.#listener({ mode: this.#mode, done: this.#done, total: this.#total });
    }
  }
}
