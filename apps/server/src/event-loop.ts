import { type EventLoopWatch, watchEventLoop } from '@fanout/executors';
import type { Logger } from './logger.js';
import type { ServiceMetrics } from './metrics.js';

/** Options of `watchServiceEventLoop`. */
export interface EventLoopWatchOptions {
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  /** A callback blocking the loop longer than this is logged and counted; 0 turns the watch off. */
  readonly thresholdMs: number;
}

/** A running watch; `stop()` is idempotent. */
export interface ServiceEventLoopWatch {
  stop(): void;
}

/** Slow-callback log lines per second, at most: a stalled server must not also flood its logs. */
const WARNINGS_PER_SECOND = 5;

/**
 * Watches this process's event loop with `@fanout/executors`' `watchEventLoop`: every
 * callback that runs longer than the threshold is counted
 * (`fanout_event_loop_slow_callbacks_total`) and logged with its origin, and the loop-delay
 * p99 since the previous scrape feeds `fanout_event_loop_delay_seconds`.
 */
export function watchServiceEventLoop(options: EventLoopWatchOptions): ServiceEventLoopWatch {
  const { metrics, logger, thresholdMs } = options;
  if (thresholdMs <= 0) return { stop() {} };
  let windowStart = 0;
  let written = 0;
  const watch: EventLoopWatch = watchEventLoop({
    thresholdMs,
    onSlow: (event) => {
      metrics.slowCallbacks.inc();
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        written = 0;
      }
      if (written++ < WARNINGS_PER_SECOND) {
        logger.warn(
          { durationMs: Math.round(event.durationMs), origin: event.origin },
          'slow callback blocked the event loop',
        );
      }
    },
  });
  metrics.sources.eventLoopDelaySeconds = () => {
    const seconds = watch.delay().p99 / 1000;
    watch.resetDelay();
    return seconds;
  };
  return {
    stop() {
      watch.stop();
    },
  };
}
