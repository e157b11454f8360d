import type { ServerConfig } from '../config/config.js';
import type { MetricsSnapshot } from './metrics.js';

/** Environment variable carrying the resolved settings from the primary to its workers. */
export const WORKER_CONFIG_ENV = 'FANOUT_WORKER_CONFIG';

/** Worker → primary: the guess server listens (on this port, with this connection limit). */
export interface ListeningMessage {
  readonly type: 'fanout:listening';
  readonly guessPort: number;
  readonly maxConnections: number;
}

/** Worker → primary: the worker could not start (e.g. the port is taken). */
export interface StartFailedMessage {
  readonly type: 'fanout:start-failed';
  readonly message: string;
}

/** Worker → primary: its metrics, answering request `id`, or pushed unasked (`id` -1). */
export interface MetricsMessage {
  readonly type: 'fanout:metrics';
  readonly id: number;
  readonly metrics: MetricsSnapshot;
}

/** Primary → worker: send your metrics now. */
export interface MetricsRequestMessage {
  readonly type: 'fanout:metrics-request';
  readonly id: number;
}

/** Primary → worker: stop accepting, drain games, exit 0. */
export interface DrainMessage {
  readonly type: 'fanout:drain';
}

/** Every message the cluster's own protocol uses. */
export type ClusterMessage =
  | ListeningMessage
  | StartFailedMessage
  | MetricsMessage
  | MetricsRequestMessage
  | DrainMessage;

const TYPES = new Set<string>([
  'fanout:listening',
  'fanout:start-failed',
  'fanout:metrics',
  'fanout:metrics-request',
  'fanout:drain',
]);

/** Narrows an IPC message (which may come from Node's cluster itself) to ours. */
export function isClusterMessage(value: unknown): value is ClusterMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && TYPES.has(type);
}

/** Reads the settings the primary passed, or undefined when not started by one. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv): ServerConfig | undefined {
  const raw = env[WORKER_CONFIG_ENV];
  if (raw === undefined) return undefined;
  const parsed = JSON.parse(raw) as Omit<ServerConfig, 'maxConnections'> & {
    maxConnections?: number | null;
  };
  // JSON drops an undefined limit: "derive it from the open-file limit".
  return { ...parsed, maxConnections: parsed.maxConnections ?? undefined };
}
