import type { ServerConfig } from '../config.js';

/** Environment variable carrying the resolved settings from the primary to its workers. */
export const WORKER_CONFIG_ENV = 'FANOUT_WORKER_CONFIG';

/** Worker → primary: the guess server listens (on this port). */
export interface ListeningMessage {
  readonly type: 'fanout:listening';
  readonly guessPort: number;
}

/** Worker → primary: the worker could not start (e.g. the port is taken). */
export interface StartFailedMessage {
  readonly type: 'fanout:start-failed';
  readonly message: string;
}

/** Primary → worker: stop accepting, drain games, exit 0. */
export interface DrainMessage {
  readonly type: 'fanout:drain';
}

/** Every message the cluster's own protocol uses. */
export type ClusterMessage = ListeningMessage | StartFailedMessage | DrainMessage;

/** Narrows an IPC message (which may come from prom-client too) to ours. */
export function isClusterMessage(value: unknown): value is ClusterMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'fanout:listening' || type === 'fanout:start-failed' || type === 'fanout:drain';
}

/** Reads the settings the primary passed, or undefined when not started by one. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv): ServerConfig | undefined {
  const raw = env[WORKER_CONFIG_ENV];
  return raw === undefined ? undefined : (JSON.parse(raw) as ServerConfig);
}
