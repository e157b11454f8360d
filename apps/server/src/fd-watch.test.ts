import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchFileDescriptors } from './fd-watch.js';
import { createLogger } from './logger.js';
import { createServiceMetrics } from './metrics.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('watchFileDescriptors', () => {
  it('counts every check that finds no descriptor left, and warns at most every 10 s', async () => {
    vi.useFakeTimers();
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString()));
        callback();
      },
    });
    const metrics = createServiceMetrics({ processMetrics: false });
    let exhausted = false;
    const watch = watchFileDescriptors({
      metrics,
      logger: createLogger({ level: 'warn', destination }),
      everyMs: 1_000,
      canOpen: () => !exhausted,
    });
    try {
      await vi.advanceTimersByTimeAsync(3_000);
      expect((await metrics.fdLimitReached.get()).values[0]?.value).toBe(0);
      exhausted = true;
      await vi.advanceTimersByTimeAsync(5_000); // five checks, one warning
      expect((await metrics.fdLimitReached.get()).values[0]?.value).toBe(5);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'warn', checks: 1 });
      expect(String(lines[0]?.msg)).toMatch(/^out of file descriptors/);
      await vi.advanceTimersByTimeAsync(6_000); // the next warning sums up the checks since
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatchObject({ checks: 10 });
    } finally {
      watch.stop();
    }
  });
});
