import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { watchServiceEventLoop } from './event-loop.js';
import { createLogger } from './logger.js';
import { createServiceMetrics } from './metrics.js';

describe('watchServiceEventLoop', () => {
  it('counts and logs a callback that blocks the loop past the threshold', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString()));
        callback();
      },
    });
    const metrics = createServiceMetrics({ processMetrics: false });
    const watch = watchServiceEventLoop({
      metrics,
      logger: createLogger({ level: 'warn', destination }),
      thresholdMs: 20,
    });
    try {
      setTimeout(function hog() {
        const until = performance.now() + 60; // blocks by construction
        while (performance.now() < until) {}
      }, 0);
      // On a loaded machine other callbacks (module loading, the test runner) may cross the
      // threshold too: the line to check is the one that names the hog.
      const isHog = (l: Record<string, unknown>): boolean =>
        l.msg === 'slow callback blocked the event loop' && String(l.origin).includes('hog');
      await vi.waitFor(() => expect(lines.some(isHog)).toBe(true));
      const value = (await metrics.slowCallbacks.get()).values[0]?.value;
      expect(value).toBeGreaterThanOrEqual(1);
      const line = lines.find(isHog);
      expect(line?.durationMs).toBeGreaterThanOrEqual(60);
      const page = await metrics.registry.metrics();
      expect(page).toMatch(/fanout_event_loop_delay_seconds \d/);
    } finally {
      watch.stop();
      watch.stop();
    }
  });

  it('is off with a threshold of 0', async () => {
    const metrics = createServiceMetrics({ processMetrics: false });
    const watch = watchServiceEventLoop({
      metrics,
      logger: createLogger({ level: 'silent' }),
      thresholdMs: 0,
    });
    expect(metrics.sources.eventLoopDelaySeconds).toBeUndefined();
    watch.stop();
  });
});
