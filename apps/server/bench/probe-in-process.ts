// The bench's earlier health checker, kept for comparison (BENCH_PROBE_COMPARE=1): fetch()
// on a fresh connection every `everyMs`, inside the bench's own process, which also reads
// the server's logs and waits for its helpers. With a trace file it writes the same lines
// as probe.ts --trace (ids sent as X-Probe-Id), so trace-report.ts can set the two side by side.
import { appendFileSync } from 'node:fs';
import { LatencyHistogram, type LatencySummary } from '@fanout/guess-protocol';
import { clockMs } from '../src/ops/trace.js';

/** A running prober; `stop()` resolves with what it saw. */
export interface Prober {
  stop(): Promise<{ latency: LatencySummary; failures: number; overBudget: number }>;
}

/** Probes `path` every `everyMs`; a probe counts as failed without a 200 within 2 s. */
export function startProber(
  port: number,
  path: string,
  everyMs: number,
  budgetMs: number,
  traceFile?: string,
): Prober {
  const lines: string[] = [];
  let n = 0;
  const latency = new LatencyHistogram();
  let failures = 0;
  let overBudget = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const started = performance.now();
      const startAt = clockMs();
      const id = `fetch-${process.pid}-${path}-${startAt.toFixed(0)}-${n++}`;
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, {
          headers: { connection: 'close', 'x-probe-id': id },
          signal: AbortSignal.timeout(2_000),
        });
        const firstByteAt = clockMs();
        await res.text();
        const ms = performance.now() - started;
        const endAt = clockMs();
        lines.push(
          JSON.stringify({ probe: id, ms, startAt, connectAt: startAt, firstByteAt, endAt }),
        );
        if (res.status === 200) latency.record(ms);
        else failures++;
        if (ms > budgetMs) overBudget++;
      } catch {
        failures++;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      if (traceFile !== undefined && lines.length > 0)
        appendFileSync(traceFile, `${lines.join('\n')}\n`);
      return { latency: latency.summary(), failures, overBudget };
    },
  };
}
