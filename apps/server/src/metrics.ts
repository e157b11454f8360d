import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { countOpenFiles, readOpenFileLimit } from './fd-limit.js';

/** Options of `createServiceMetrics`. */
export interface ServiceMetricsOptions {
  /** Labels put on every series, e.g. `{ worker: '2' }` so cluster workers stay apart. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /**
   * Also collect Node's process metrics (CPU, memory, GC, and the event-loop delay that
   * `perf_hooks.monitorEventLoopDelay` measures, as `nodejs_eventloop_lag_*`). Default true.
   */
  readonly processMetrics?: boolean;
}

/** The registry and every metric one serving process exports on `/metrics`. */
export interface ServiceMetrics {
  /** Registry to expose (its `metrics()` gives the Prometheus text format). */
  readonly registry: Registry;
  /** `fanout_guess_connections_open`: guess connections open now. */
  readonly connectionsOpen: Gauge;
  /** `fanout_guess_sessions_total`: guess connections accepted since start. */
  readonly sessions: Counter;
  /** `fanout_guess_games_completed_total`: games that reached `Correct`. */
  readonly gamesCompleted: Counter;
  /** `fanout_guess_guesses_per_game`: guesses the server needed per completed game. */
  readonly guessesPerGame: Histogram;
  /** `fanout_guess_errors_total{code}`: protocol and connection errors, by code. */
  readonly errors: Counter<'code'>;
  /** `fanout_guess_round_trip_seconds`: from a guess sent to its report received. */
  readonly roundTrip: Histogram;
  /** `fanout_event_loop_slow_callbacks_total`: callbacks that blocked the loop too long. */
  readonly slowCallbacks: Counter;
  /** `fanout_event_loop_delay_seconds`: p99 event-loop delay since the previous scrape. */
  readonly eventLoopDelay: Gauge;
  /** `fanout_draining`: 1 while shutting down, else 0. */
  readonly draining: Gauge;
  /** `fanout_guess_max_connections`: the guess connection limit in force. */
  readonly maxConnections: Gauge;
  /** `fanout_fd_limit_reached_total`: checks that found no file descriptor left. */
  readonly fdLimitReached: Counter;
  /** Values read at scrape time; set by whoever measures them. */
  readonly sources: MetricSources;
}

/** Providers read when `/metrics` is scraped. */
export interface MetricSources {
  /** p99 event-loop delay in seconds since the previous read. */
  eventLoopDelaySeconds?: () => number;
}

/**
 * Creates a fresh registry holding the service's metrics (nothing goes to prom-client's
 * global registry, so several servers can live in one process, as in tests).
 *
 * @example
 * ```ts
 * const metrics = createServiceMetrics({ defaultLabels: { worker: '1' } });
 * metrics.gamesCompleted.inc();
 * const text = await metrics.registry.metrics();
 * ```
 */
export function createServiceMetrics(options: ServiceMetricsOptions = {}): ServiceMetrics {
  const registry = new Registry();
  if (options.defaultLabels !== undefined) registry.setDefaultLabels({ ...options.defaultLabels });
  const registers = [registry];
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
    // prom-client counts open descriptors with a readdirSync of /proc/self/fd, which takes
    // tens of milliseconds with 20,000 sockets open: count them off the event loop instead.
    // In cluster mode the primary shows the fullest process against the smallest limit.
    if (registry.getSingleMetric('process_max_fds') !== undefined) {
      registry.removeSingleMetric('process_max_fds');
      const limit = readOpenFileLimit();
      new Gauge({
        name: 'process_max_fds',
        help: 'Maximum number of open file descriptors.',
        registers,
        aggregator: 'min',
      }).set(limit ?? 0);
    }
    if (registry.getSingleMetric('process_open_fds') !== undefined) {
      registry.removeSingleMetric('process_open_fds');
      new Gauge({
        name: 'process_open_fds',
        help: 'Number of open file descriptors.',
        registers,
        aggregator: 'max',
        async collect() {
          const open = await countOpenFiles();
          if (open !== undefined) this.set(open);
        },
      });
    }
  }
  const sources: MetricSources = {};
  return {
    sources,
    registry,
    connectionsOpen: new Gauge({
      name: 'fanout_guess_connections_open',
      help: 'Guess protocol connections open now.',
      registers,
    }),
    sessions: new Counter({
      name: 'fanout_guess_sessions_total',
      help: 'Guess protocol connections accepted.',
      registers,
    }),
    gamesCompleted: new Counter({
      name: 'fanout_guess_games_completed_total',
      help: 'Games played to Correct.',
      registers,
    }),
    guessesPerGame: new Histogram({
      name: 'fanout_guess_guesses_per_game',
      help: 'Guesses the server needed per completed game.',
      buckets: [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 24, 32, 64, 128],
      registers,
    }),
    errors: new Counter({
      name: 'fanout_guess_errors_total',
      help: 'Guess connection and protocol errors, by code.',
      labelNames: ['code'] as const,
      registers,
    }),
    roundTrip: new Histogram({
      name: 'fanout_guess_round_trip_seconds',
      help: 'Time from a guess sent to the report about it received.',
      buckets: [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
      ],
      registers,
    }),
    slowCallbacks: new Counter({
      name: 'fanout_event_loop_slow_callbacks_total',
      help: 'Callbacks that blocked the event loop longer than the slow-callback threshold.',
      registers,
    }),
    eventLoopDelay: new Gauge({
      name: 'fanout_event_loop_delay_seconds',
      help: 'p99 event-loop delay since the previous scrape (watchEventLoop).',
      registers,
      aggregator: 'max',
      collect() {
        const read = sources.eventLoopDelaySeconds;
        if (read !== undefined) this.set(read());
      },
    }),
    draining: new Gauge({
      name: 'fanout_draining',
      help: '1 while the server shuts down (shutdown delay and drain), else 0.',
      registers,
      aggregator: 'max',
    }),
    maxConnections: new Gauge({
      name: 'fanout_guess_max_connections',
      help: 'Guess connections this process accepts at most (summed over cluster workers).',
      registers,
    }),
    fdLimitReached: new Counter({
      name: 'fanout_fd_limit_reached_total',
      help: 'Checks (one a second) that found the process out of file descriptors: connections arriving then are dropped by the OS.',
      registers,
    }),
  };
}
