import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** Samples are kept in microseconds: 1 µs to an hour, three significant digits. */
const MICROS_PER_MS = 1_000;
const HIGHEST_MICROS = 3_600_000_000;

/**
 * Latency histogram in milliseconds, backed by Node's HDR histogram
 * (`perf_hooks.createHistogram()`): fixed memory however many samples a load run records,
 * percentiles within 0.1 %. Count, mean and max are exact.
 */
export class LatencyHistogram {
  readonly #histogram: RecordableHistogram = createHistogram({
    lowest: 1,
    highest: HIGHEST_MICROS,
    figures: 3,
  });
  #count = 0;
  #sum = 0;
  #max = 0;

  /** Adds one sample, in ms (negative values count as 0; past an hour, as an hour). */
  record(ms: number): void {
    const value = Math.max(0, ms);
    const micros = Math.min(HIGHEST_MICROS, Math.max(1, Math.round(value * MICROS_PER_MS)));
    this.#histogram.record(micros);
    this.#count++;
    this.#sum += value;
    if (value > this.#max) this.#max = value;
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

  /** The value below which `p` percent (0 to 100) of the samples lie, 0 when empty. */
  percentile(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be 0 to 100, got ${p}`);
    if (this.#count === 0) return 0;
    const micros = p === 0 ? this.#histogram.min : this.#histogram.percentile(p);
    return Math.min(this.#max, micros / MICROS_PER_MS);
  }

  /** p50, p90, p99, p99.9, max, mean and count, in ms. */
  summary(): LatencySummary {
    return {
      count: this.#count,
      mean: this.mean,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.#max,
    };
  }
}

/** A latency distribution in milliseconds (all 0 when there were no samples). */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}
