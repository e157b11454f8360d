import { canOpenAnotherFile } from './fd-limit.js';
import type { Logger } from './logger.js';
import type { ServiceMetrics } from './metrics.js';

/** Options of `watchFileDescriptors`. */
export interface FileDescriptorWatchOptions {
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  /** How often to check; default 1 s. */
  readonly everyMs?: number;
  /** Tells whether one more file can be opened; default: try opening /dev/null. */
  readonly canOpen?: () => boolean;
}

/** A running watch; `stop()` is idempotent. */
export interface FileDescriptorWatch {
  stop(): void;
}

/** At most one warning this often: a process at its limit must not also flood its log. */
const WARN_EVERY_MS = 10_000;

/**
 * Makes running out of file descriptors visible. Since Node 20 (libuv 1.45) a failed
 * `accept()` never reaches JavaScript: on EMFILE libuv accepts the waiting connections on a
 * reserved descriptor and closes them, silently. So every `everyMs` this tries to open one
 * more file; when that fails it counts `fanout_fd_limit_reached_total` and logs a warning
 * (at most one per 10 s, with how many checks failed since the last one).
 */
export function watchFileDescriptors(options: FileDescriptorWatchOptions): FileDescriptorWatch {
  const { metrics, logger } = options;
  const canOpen = options.canOpen ?? canOpenAnotherFile;
  let lastWarning = Number.NEGATIVE_INFINITY;
  let unreported = 0;
  const timer = setInterval(() => {
    if (canOpen()) return;
    metrics.fdLimitReached.inc();
    unreported++;
    const now = Date.now();
    if (now - lastWarning < WARN_EVERY_MS) return;
    lastWarning = now;
    logger.warn(
      { checks: unreported },
      'out of file descriptors: the OS drops new connections (raise ulimit -n or lower --max-connections)',
    );
    unreported = 0;
  }, options.everyMs ?? 1_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
