const MIN_MS = 0.001;
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** 1 µs to ~ 10 minutes at 1 % resolution. */
const BUCKETS = Math.ceil(Math.log(600_000 / MIN_MS) / LOG_GROWTH) + 1;

/**
 * Latency histogram with logarithmic buckets (1 % wide): fixed memory however many
 * samples a load run records; percentiles are exact to within 1 %.
 */
export class LatencyHistogram {
  readonly #counts = new Float64Array(BUCKETS);
  #count = 0;
  #sum = 0;
  #max = 0;

  /** Adds one sample, in ms. */
  record(ms: number): void {
    const value = Math.max(ms, MIN_MS);
    let index = Math.ceil(Math.log(value / MIN_MS) / LOG_GROWTH);
    if (index >= BUCKETS) index = BUCKETS - 1;
    this.#counts[index]!++;
    this.#count++;
    this.#sum += ms;
    if (ms > this.#max) this.#max = ms;
  }

  /** Samples recorded. */
  get count(): number {
    return this.#count;
  }

  /** Mean of the samples, 0 when empty. */
  get mean(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  /** Largest sample, 0 when empty. */
  get max(): number {
    return this.#max;
  }

  /** The value below which `p` percent of the samples lie (upper bucket edge), 0 when empty. */
  percentile(p: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(this.#max, MIN_MS * GROWTH ** i);
    }
    return this.#max;
  }
}
