import { seededRandom } from '@fanout/test-kit';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ClusterMetrics, type MetricsSnapshot } from './metrics.js';

/** A simulated worker: real prom-client metrics, and the truth of what it counted. */
class FakeWorker {
  readonly registry = new Registry();
  readonly games = new Counter({ name: 'games_total', help: 'g', registers: [this.registry] });
  readonly errors = new Counter({
    name: 'errors_total',
    help: 'e',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly guesses = new Histogram({
    name: 'guesses',
    help: 'h',
    buckets: [1, 5, 10],
    registers: [this.registry],
  });
  readonly open = new Gauge({ name: 'open', help: 'o', registers: [this.registry] });
  counted = 0;
  /** `counted` as of the last snapshot the metrics observed. */
  reported = 0;

  constructor(readonly id: number) {}

  /** What a worker sends over IPC: a copy, as serialization makes one. */
  async snapshot(): Promise<MetricsSnapshot> {
    return structuredClone(await this.registry.getMetricsAsJSON());
  }
}

function read(page: string, series: string): number {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const MONOTONIC_SERIES = [
  'games_total',
  'errors_total{code="idle-timeout"}',
  'errors_total{code="line-too-long"}',
  'guesses_bucket{le="5"}',
  'guesses_count',
  'guesses_sum',
];

describe('ClusterMetrics', () => {
  it('never lets a counter or histogram go down as workers die and are replaced (50 seeds)', async () => {
    const own = new Registry();
    for (let seed = 1; seed <= 50; seed++) {
      const random = seededRandom(seed);
      const metrics = new ClusterMetrics();
      let nextId = 1;
      let live = [new FakeWorker(nextId++), new FakeWorker(nextId++)];
      let everCounted = 0;
      let lostToDeath = 0;
      const previous = new Map<string, number>();
      for (let step = 0; step < 40; step++) {
        const roll = random();
        const worker = live[Math.floor(random() * live.length)]!;
        if (roll < 0.45) {
          const n = 1 + Math.floor(random() * 5);
          worker.games.inc(n);
          worker.errors.inc({ code: random() < 0.5 ? 'idle-timeout' : 'line-too-long' });
          worker.guesses.observe(1 + Math.floor(random() * 12));
          worker.open.set(Math.floor(random() * 100));
          worker.counted += n;
          everCounted += n;
        } else if (roll < 0.7) {
          // A push, or a fresh answer to a scrape.
          metrics.observe(worker.id, await worker.snapshot());
          worker.reported = worker.counted;
        } else if (roll < 0.85) {
          // It dies: whatever it counted since it was last observed is lost with it.
          lostToDeath += worker.counted - worker.reported;
          // A message it sent just before dying may still arrive after its exit.
          const late = await worker.snapshot();
          metrics.retire(worker.id);
          metrics.observe(worker.id, late);
          live = live.filter((w) => w !== worker);
          live.push(new FakeWorker(nextId++));
        } else {
          const page = (await metrics.render(own)).body;
          for (const series of MONOTONIC_SERIES) {
            const value = read(page, series);
            expect(value, `seed ${seed} step ${step}: ${series}`).toBeGreaterThanOrEqual(
              previous.get(series) ?? 0,
            );
            previous.set(series, value);
          }
          expect(read(page, 'games_total')).toBeLessThanOrEqual(everCounted);
        }
      }
      // Observe every live worker: the page then holds all that was counted, less only
      // what workers counted after their last report and before they died.
      for (const worker of live) metrics.observe(worker.id, await worker.snapshot());
      const page = (await metrics.render(own)).body;
      expect(read(page, 'games_total'), `seed ${seed}`).toBe(everCounted - lostToDeath);
    }
  });

  it('sums counters over workers by label, and gauges by their aggregator', async () => {
    const metrics = new ClusterMetrics();
    const a = new FakeWorker(1);
    const b = new FakeWorker(2);
    a.games.inc(3);
    b.games.inc(4);
    a.open.set(10);
    b.open.set(5);
    metrics.observe(1, await a.snapshot());
    metrics.observe(2, await b.snapshot());
    let page = (await metrics.render(new Registry())).body;
    expect(read(page, 'games_total')).toBe(7);
    expect(read(page, 'open')).toBe(15);
    metrics.retire(1);
    page = (await metrics.render(new Registry())).body;
    expect(read(page, 'games_total')).toBe(7); // kept
    expect(read(page, 'open')).toBe(5); // a gauge of a dead process is gone
    expect(metrics.workers).toBe(1);
  });
});
