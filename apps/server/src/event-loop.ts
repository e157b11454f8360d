import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from './logger.js';
import type { ServiceMetrics } from './metrics.js';

/** Options of `watchServiceEventLoop`. */
export interface EventLoopWatchOptions {
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  /** A callback blocking the loop this long is logged and counted. */
  readonly thresholdMs: number;
}

/** A running watch; `stop()` is idempotent. */
export interface EventLoopWatch {
  stop(): void;
}

/**
 * Watches this process's event loop: feeds `fanout_event_loop_delay_seconds` (worst delay
 * since the previous scrape) and counts and logs callbacks that block the loop longer than
 * the threshold.
 */
export function watchServiceEventLoop(options: EventLoopWatchOptions): EventLoopWatch {
  const { metrics, logger, thresholdMs } = options;
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  metrics.sources.eventLoopDelaySeconds = () => {
    const seconds = histogram.max / 1e9;
    histogram.reset();
    return seconds;
  };
  // Cheap blocked-loop detector: a timer that should fire every `tick` ms and notices
  // when it fires late.
  const tick = Math.max(10, Math.min(thresholdMs, 1000) / 2);
  let expected = performance.now() + tick;
  const timer = setInterval(() => {
    const now = performance.now();
    const lateMs = now - expected;
    expected = now + tick;
    if (lateMs >= thresholdMs) {
      metrics.slowCallbacks.inc();
      logger.warn({ blockedMs: Math.round(lateMs) }, 'event loop was blocked');
    }
  }, tick);
  timer.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      histogram.disable();
    },
  };
}
