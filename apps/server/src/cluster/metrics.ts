import { AggregatorRegistry, type Registry } from 'prom-client';

/** One registry's metrics as prom-client's `getMetricsAsJSON()` gives them. */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;
type Metric = MetricsSnapshot[number];
type Value = Metric['values'][number] & { metricName?: string };

/** Kinds of series that only ever grow while a process lives. */
const MONOTONIC = new Set(['counter', 'histogram']);

function seriesKey(value: Value, name: string): string {
  const labels = Object.entries(value.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return `${value.metricName ?? name}\u0000${JSON.stringify(labels)}`;
}

/** Counters and histograms of `snapshot` added into `into` (same name, same labels: summed). */
function addMonotonic(into: Map<string, Metric>, snapshot: MetricsSnapshot): void {
  for (const metric of snapshot) {
    if (!MONOTONIC.has(String(metric.type))) continue;
    const known = into.get(metric.name);
    if (known === undefined) {
      into.set(metric.name, { ...metric, values: metric.values.map((v) => ({ ...v })) });
      continue;
    }
    const byKey = new Map(known.values.map((v) => [seriesKey(v, known.name), v] as const));
    for (const value of metric.values) {
      const existing = byKey.get(seriesKey(value, metric.name));
      if (existing === undefined) known.values.push({ ...value });
      else existing.value += value.value;
    }
  }
}

/**
 * The cluster primary's view of its workers' metrics, such that counters never decrease.
 * Each worker's latest snapshot (pushed every second, and fetched fresh for each scrape)
 * is kept; when a worker dies its counters and histograms are folded into a "retired"
 * total that stays on the page for good, while its gauges vanish with it. The page is the
 * sum, by name and labels, of the retired totals, the live workers and the primary's own
 * registry (prom-client's `AggregatorRegistry.aggregate`, so gauges use each metric's
 * `aggregator`: sum, max, min...).
 *
 * A worker that dies between two pushes takes what it counted since the last one with it
 * (at most a second's worth): the totals lag, but never run backwards.
 */
export class ClusterMetrics {
  readonly #latest = new Map<number, MetricsSnapshot>();
  readonly #retired = new Map<string, Metric>();
  /** Workers already retired: a message of theirs still in flight must not count twice. */
  readonly #gone = new Set<number>();

  /** Workers with a snapshot. */
  get workers(): number {
    return this.#latest.size;
  }

  /** Records worker `id`'s metrics as of now. */
  observe(id: number, snapshot: MetricsSnapshot): void {
    if (!this.#gone.has(id)) this.#latest.set(id, snapshot);
  }

  /** Worker `id` died: keep what its counters and histograms counted, drop the rest. */
  retire(id: number): void {
    if (this.#gone.has(id)) return;
    this.#gone.add(id);
    const last = this.#latest.get(id);
    this.#latest.delete(id);
    if (last !== undefined) addMonotonic(this.#retired, last);
  }

  /** Every snapshot that makes up the page: retired totals, then each live worker's. */
  snapshots(): MetricsSnapshot[] {
    return [[...this.#retired.values()], ...this.#latest.values()];
  }

  /** The Prometheus text page: retired totals + live workers + `own` (the primary's registry). */
  async render(own: Registry): Promise<{ contentType: string; body: string }> {
    const registry = AggregatorRegistry.aggregate([
      ...this.snapshots(),
      await own.getMetricsAsJSON(),
    ]);
    return { contentType: registry.contentType, body: await registry.metrics() };
  }
}
