// A load balancer's health checks, for the bench: a fresh connection every `everyMs`.
import { LatencyHistogram, type LatencySummary } from '@fanout/guess-protocol';

/** A running prober; `stop()` resolves with what it saw. */
export interface Prober {
  stop(): Promise<{ latency: LatencySummary; failures: number; overBudget: number }>;
}

/** Probes `path` every `everyMs`; a probe counts as failed without a 200 within 2 s. */
export function startProber(port: number, path: string, everyMs: number, budgetMs: number): Prober {
  const latency = new LatencyHistogram();
  let failures = 0;
  let overBudget = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, {
          headers: { connection: 'close' },
          signal: AbortSignal.timeout(2_000),
        });
        await res.text();
        const ms = performance.now() - started;
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
      return { latency: latency.summary(), failures, overBudget };
    },
  };
}
